"""A region file read and checked: the values as dataclasses, or every mistake in it at once,
each naming the file, the line and the field in Swedish.

Nothing here touches the database; `services.apply_region` writes what this returns. The file's
format is documented in README.md ("Regionens fil") and shown by regions/*.toml.
"""

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import email_validator

from portal.accounts.models import ORGANISATION_KINDS
from portal.regions.lines import field_lines, line_of
from portal.reports.builtins import builtin_templates
from portal.reports.sources import is_source

SCB_CODE = re.compile(r"^\d{4}$")
PARTNER_KINDS = sorted(set(ORGANISATION_KINDS) - {"county_library", "municipal_library", "funder"})
TOP_LEVEL = {
    "county_library",
    "target_groups",
    "municipalities",
    "libraries",
    "funders",
    "partners",
    "plan_period",
    "report_templates",
}


@dataclass(frozen=True)
class CountyLibrary:
    name: str
    short_name: str
    municipality: str
    contact_email: str
    email_sender_name: str
    footer_text: str


@dataclass(frozen=True)
class Municipality:
    name: str
    scb_code: str


@dataclass(frozen=True)
class Library:
    name: str
    municipality: str
    contact_email: str | None


@dataclass(frozen=True)
class Partner:
    name: str
    kind: str
    contact_email: str | None


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    role: str
    phone: str
    receives_reports: bool


@dataclass(frozen=True)
class Funder:
    name: str
    contacts: tuple[Contact, ...]


@dataclass(frozen=True)
class GoalArea:
    name: str
    description: str


@dataclass(frozen=True)
class PlanPeriod:
    name: str
    starts_on: date
    ends_on: date
    goal_areas: tuple[GoalArea, ...]


@dataclass(frozen=True)
class ReportTemplate:
    """A built-in template by its name (`is_builtin`), or one of the region's own."""

    name: str
    is_builtin: bool
    description: str = ""
    funder: str | None = None
    sections: tuple[dict[str, str], ...] = ()


@dataclass(frozen=True)
class Region:
    county_library: CountyLibrary
    municipalities: tuple[Municipality, ...]
    libraries: tuple[Library, ...]
    funders: tuple[Funder, ...]
    partners: tuple[Partner, ...]
    plan_period: PlanPeriod
    target_groups: tuple[str, ...]
    report_templates: tuple[ReportTemplate, ...]

    def municipality(self, name: str) -> Municipality:
        return next(item for item in self.municipalities if item.name == name)


@dataclass(frozen=True)
class RegionError:
    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f", rad {self.line}" if self.line else ""
        named = f", fält {self.field}" if self.field else ""
        return f"{self.file}{where}{named}: {self.message}"


class RegionFileError(Exception):
    """The file is wrong; `errors` says everywhere it is."""

    def __init__(self, errors: list[RegionError]):
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = errors


def read_region(path: Path, shown_as: str | None = None) -> Region:
    """The region in the file at `path`, checked throughout; raises RegionFileError naming
    every mistake. `shown_as` is the file's name in the errors (as the person typed it)."""
    name = shown_as or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        message = f"filen går inte att läsa ({error})"
        raise RegionFileError([RegionError(name, None, "", message)]) from error
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"at line (\d+)", str(error))
        line = int(found.group(1)) if found else None
        message = f"filen är inte giltig TOML ({error})"
        raise RegionFileError([RegionError(name, line, "", message)]) from error
    checker = Checker(name, field_lines(text))
    region = checker.region(data)
    if checker.errors:
        raise RegionFileError(checker.errors)
    assert region is not None
    return region


@dataclass
class Checker:
    """Reads the parsed file part by part, noting every mistake instead of stopping at the
    first, so one run shows the person all there is to correct."""

    file: str
    lines: dict[str, int]
    errors: list[RegionError] = field(default_factory=list)

    def error(self, path: str, message: str) -> None:
        self.errors.append(RegionError(self.file, line_of(self.lines, path), path, message))

    def region(self, data: dict[str, Any]) -> Region | None:
        self.unknown_keys(data, TOP_LEVEL, "")
        municipalities = self.municipalities(self.tables(data, "municipalities"))
        known = {item.name for item in municipalities}
        county = self.county_library(self.table(data, "county_library"), known)
        libraries = self.libraries(self.tables(data, "libraries"), known)
        self.every_municipality_has_a_library(municipalities, libraries)
        funders = self.funders(self.tables(data, "funders", required=False))
        partners = self.partners(self.tables(data, "partners", required=False))
        self.unique_names(county, libraries, funders, partners)
        plan = self.plan_period(self.table(data, "plan_period"))
        groups = self.target_groups(data)
        templates = self.report_templates(
            self.tables(data, "report_templates", required=False), {f.name for f in funders}
        )
        if self.errors or county is None or plan is None:
            return None
        return Region(county, municipalities, libraries, funders, partners, plan, groups, templates)

    # The parts of the file.

    def county_library(self, data: dict | None, municipalities: set[str]) -> CountyLibrary | None:
        if data is None:
            return None
        path = "county_library"
        self.unknown_keys(data, set(CountyLibrary.__dataclass_fields__), path)
        municipality = self.text(data, "municipality", path)
        if municipality and municipality not in municipalities:
            self.error(f"{path}.municipality", _unknown_municipality(municipality))
        return CountyLibrary(
            name=self.text(data, "name", path),
            short_name=self.text(data, "short_name", path, max_length=100),
            municipality=municipality,
            contact_email=self.email(data, "contact_email", path, required=True) or "",
            email_sender_name=self.text(data, "email_sender_name", path),
            footer_text=self.text(data, "footer_text", path, max_length=500),
        )

    def municipalities(self, items: list[tuple[str, dict]]) -> tuple[Municipality, ...]:
        found = []
        for path, data in items:
            self.unknown_keys(data, {"name", "scb_code"}, path)
            code = self.text(data, "scb_code", path, max_length=4)
            if code and not SCB_CODE.match(code):
                self.error(f"{path}.scb_code", "SCB-koden måste vara fyra siffror")
            found.append((path, Municipality(self.text(data, "name", path, 100), code)))
        self.no_duplicates(found, "name", "kommunen")
        self.no_duplicates(found, "scb_code", "SCB-koden")
        return tuple(item for _path, item in found)

    def libraries(
        self, items: list[tuple[str, dict]], municipalities: set[str]
    ) -> tuple[Library, ...]:
        found = []
        for path, data in items:
            self.unknown_keys(data, {"name", "municipality", "contact_email"}, path)
            municipality = self.text(data, "municipality", path)
            if municipality and municipality not in municipalities:
                self.error(f"{path}.municipality", _unknown_municipality(municipality))
            found.append(
                Library(
                    self.text(data, "name", path),
                    municipality,
                    self.email(data, "contact_email", path),
                )
            )
        return tuple(found)

    def every_municipality_has_a_library(self, municipalities, libraries) -> None:
        """A municipality is kept on its libraries' rows: one without a library would be lost."""
        served = {library.municipality for library in libraries}
        for number, municipality in enumerate(municipalities, start=1):
            if municipality.name and municipality.name not in served:
                self.error(
                    f"municipalities[{number}].name",
                    f"kommunen {municipality.name} har inget bibliotek under [[libraries]]",
                )

    def funders(self, items: list[tuple[str, dict]]) -> tuple[Funder, ...]:
        found = []
        for path, data in items:
            self.unknown_keys(data, {"name", "contacts"}, path)
            contacts = []
            for contact_path, contact in self.tables(data, "contacts", path, required=False):
                self.unknown_keys(
                    contact, {"name", "email", "role", "phone", "receives_reports"}, contact_path
                )
                contacts.append(
                    (
                        contact_path,
                        Contact(
                            name=self.text(contact, "name", contact_path),
                            email=self.email(contact, "email", contact_path, required=True) or "",
                            role=self.text(contact, "role", contact_path, required=False),
                            phone=self.text(contact, "phone", contact_path, 50, required=False),
                            receives_reports=self.boolean(
                                contact, "receives_reports", contact_path, default=True
                            ),
                        ),
                    )
                )
            self.no_duplicates(contacts, "email", "e-postadressen")
            found.append(Funder(self.text(data, "name", path), tuple(c for _p, c in contacts)))
        return tuple(found)

    def partners(self, items: list[tuple[str, dict]]) -> tuple[Partner, ...]:
        found = []
        for path, data in items:
            self.unknown_keys(data, {"name", "kind", "contact_email"}, path)
            kind = self.text(data, "kind", path, required=False) or "other"
            if kind not in PARTNER_KINDS:
                self.error(
                    f"{path}.kind", f"okänd sort ”{kind}”, välj en av: {_listed(PARTNER_KINDS)}"
                )
            found.append(
                Partner(
                    self.text(data, "name", path), kind, self.email(data, "contact_email", path)
                )
            )
        return tuple(found)

    def plan_period(self, data: dict | None) -> PlanPeriod | None:
        if data is None:
            return None
        path = "plan_period"
        self.unknown_keys(data, {"name", "starts_on", "ends_on", "goal_areas"}, path)
        starts_on = self.day(data, "starts_on", path)
        ends_on = self.day(data, "ends_on", path)
        if starts_on and ends_on and ends_on <= starts_on:
            self.error(f"{path}.ends_on", "planen måste sluta efter att den börjar")
        areas = []
        for area_path, area in self.tables(data, "goal_areas", path):
            self.unknown_keys(area, {"name", "description"}, area_path)
            areas.append(
                (
                    area_path,
                    GoalArea(
                        self.text(area, "name", area_path),
                        self.text(area, "description", area_path, 5000, required=False),
                    ),
                )
            )
        self.no_duplicates(areas, "name", "målområdet")
        return PlanPeriod(
            name=self.text(data, "name", path),
            starts_on=starts_on or date.min,
            ends_on=ends_on or date.min,
            goal_areas=tuple(area for _path, area in areas),
        )

    def target_groups(self, data: dict) -> tuple[str, ...]:
        value = data.get("target_groups")
        if not isinstance(value, list) or not value:
            self.error("target_groups", "ange målgrupperna som en lista med minst ett namn")
            return ()
        names = []
        for number, name in enumerate(value, start=1):
            path = f"target_groups[{number}]"
            if not isinstance(name, str) or not name.strip():
                self.error(path, "en målgrupp är ett namn inom citattecken")
            elif len(name.strip()) > 200:
                self.error(path, "högst 200 tecken")
            else:
                names.append((path, name.strip()))
        seen: set[str] = set()
        for path, name in names:
            if name in seen:
                self.error(path, f"målgruppen ”{name}” finns redan tidigare i listan")
            seen.add(name)
        return tuple(name for _path, name in names)

    def report_templates(
        self, items: list[tuple[str, dict]], funders: set[str]
    ) -> tuple[ReportTemplate, ...]:
        builtin_names = [row["name"] for row in builtin_templates()]
        found = []
        for path, data in items:
            if "builtin" in data:
                self.unknown_keys(data, {"builtin"}, path)
                name = self.text(data, "builtin", path)
                if name and name not in builtin_names:
                    self.error(
                        f"{path}.builtin",
                        f"det finns ingen inbyggd mall ”{name}”, välj en av: "
                        f"{_listed(builtin_names)}",
                    )
                found.append((path, ReportTemplate(name=name, is_builtin=True)))
                continue
            self.unknown_keys(data, {"name", "description", "funder", "sections"}, path)
            name = self.text(data, "name", path)
            if name in builtin_names:
                self.error(f"{path}.name", f"”{name}” är en inbyggd mall: skriv builtin = ”{name}”")
            funder = self.text(data, "funder", path, required=False) or None
            if funder and funder not in funders:
                self.error(f"{path}.funder", f"finansiären ”{funder}” finns inte under [[funders]]")
            found.append(
                (
                    path,
                    ReportTemplate(
                        name=name,
                        is_builtin=False,
                        description=self.text(data, "description", path, 5000, required=False),
                        funder=funder,
                        sections=self.sections(data, path),
                    ),
                )
            )
        self.no_duplicates(found, "name", "mallen")
        return tuple(template for _path, template in found)

    def sections(self, data: dict, path: str) -> tuple[dict[str, str], ...]:
        sections = []
        for section_path, section in self.tables(data, "sections", path):
            self.unknown_keys(section, {"title", "source", "guidance"}, section_path)
            source = self.text(section, "source", section_path, 50)
            if source and not is_source(source):
                self.error(f"{section_path}.source", f"okänt underlag ”{source}”")
            sections.append(
                {
                    "title": self.text(section, "title", section_path),
                    "source": source,
                    "guidance": self.text(section, "guidance", section_path, 2000, False),
                }
            )
        return tuple(sections)

    def unique_names(self, county, libraries, funders, partners) -> None:
        """Every organisation has its own name: the portal knows them by it."""
        named: dict[str, str] = {}
        groups = [("libraries", libraries), ("funders", funders), ("partners", partners)]
        if county is not None:
            named[county.name] = "county_library.name"
        for key, items in groups:
            for number, item in enumerate(items, start=1):
                path = f"{key}[{number}].name"
                if item.name in named and item.name:
                    self.error(path, f"namnet ”{item.name}” används redan ({named[item.name]})")
                named.setdefault(item.name, path)

    # Reading single values.

    def table(self, data: dict, key: str, parent: str = "") -> dict | None:
        path = f"{parent}.{key}" if parent else key
        value = data.get(key)
        if not isinstance(value, dict):
            self.error(path, f"tabellen [{path}] saknas")
            return None
        return value

    def tables(
        self, data: dict, key: str, parent: str = "", required: bool = True
    ) -> list[tuple[str, dict]]:
        """The items of an array of tables, each with its path (counted from 1)."""
        path = f"{parent}.{key}" if parent else key
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.error(path, f"skriv {key} som [[{path}]]-tabeller")
            return []
        if required and not value:
            self.error(path, f"minst en [[{path}]] behövs")
        return [(f"{path}[{number}]", item) for number, item in enumerate(value, start=1)]

    def text(
        self, data: dict, key: str, path: str, max_length: int = 200, required: bool = True
    ) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.error(f"{path}.{key}", "fältet saknas")
            return ""
        if not isinstance(value, str):
            self.error(f"{path}.{key}", "skriv texten inom citattecken")
            return ""
        value = value.strip()
        if required and not value:
            self.error(f"{path}.{key}", "fältet får inte vara tomt")
        elif len(value) > max_length:
            self.error(f"{path}.{key}", f"högst {max_length} tecken")
        elif "\n" in value and key not in {"description", "guidance"}:
            self.error(f"{path}.{key}", "texten ska stå på en rad")
        return value

    def email(self, data: dict, key: str, path: str, required: bool = False) -> str | None:
        value = self.text(data, key, path, 254, required)
        if not value:
            return None
        try:
            return email_validator.validate_email(value, check_deliverability=False).normalized
        except email_validator.EmailNotValidError:
            self.error(f"{path}.{key}", f"”{value}” är ingen giltig e-postadress")
            return None

    def boolean(self, data: dict, key: str, path: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.error(f"{path}.{key}", "skriv true eller false")
            return default
        return value

    def day(self, data: dict, key: str, path: str) -> date | None:
        value = data.get(key)
        if value is None:
            self.error(f"{path}.{key}", "fältet saknas")
        elif not isinstance(value, date) or hasattr(value, "hour"):
            self.error(f"{path}.{key}", "skriv ett datum som 2025-01-01, utan citattecken")
        else:
            return value
        return None

    def unknown_keys(self, data: dict, known: set[str], path: str) -> None:
        for key in data:
            if key not in known:
                where = f"{path}.{key}" if path else key
                self.error(where, f"okänt fält, kända fält här är: {_listed(sorted(known))}")

    def no_duplicates(self, items: list[tuple[str, Any]], attribute: str, what: str) -> None:
        seen: dict[str, str] = {}
        for path, item in items:
            value = getattr(item, attribute)
            if value and value in seen:
                self.error(f"{path}.{attribute}", f"{what} ”{value}” finns redan ({seen[value]})")
            seen.setdefault(value, path)


def _unknown_municipality(name: str) -> str:
    return f"kommunen ”{name}” finns inte under [[municipalities]]"


def _listed(names: list[str]) -> str:
    return ", ".join(names)
