"""Writing a checked region into the portal: what is missing is added, what differs is
changed, and nothing is removed (a goal area, an organisation or a template the file no longer
lists stays, with whatever refers to it). Rows are matched by their natural keys: an
organisation by its name (the county library also as the one county library, so it can be
renamed), a plan period and a template by name, a goal area by name within its plan, a target
group by name and a funder's contact by address. No commit: the command commits once, or rolls
back everything.
"""

from typing import Any

from sqlalchemy import select, update

from portal.accounts.models import Organisation
from portal.accounts.services import county_library
from portal.core.region_identity import new_token, region_settings
from portal.extensions import db
from portal.projects.models import FunderContact, GoalArea, PlanPeriod, TargetGroup
from portal.regions import schema
from portal.reports.builtins import builtin_templates
from portal.reports.models import ReportTemplate


class Changes(list[str]):
    """What an import changed, one line each, in Swedish for the person who ran it."""

    def assign(self, row: Any, label: str, **values: Any) -> None:
        """Set the fields of `row` that differ from `values`, noting each."""
        for name, value in values.items():
            if getattr(row, name) != value:
                setattr(row, name, value)
                self.append(f"Ändrat: {label}, {name}")

    def add(self, row: Any, label: str) -> None:
        db.session.add(row)
        self.append(f"Nytt: {label}")


def apply_region(region: schema.Region) -> Changes:
    changes = Changes()
    organisations = {org.name: org for org in db.session.scalars(select(Organisation))}
    apply_county_library(region, organisations, changes)
    for library in region.libraries:
        municipality = region.municipality(library.municipality)
        values = {
            "kind": "municipal_library",
            "municipality_name": municipality.name,
            "municipality_code": municipality.scb_code,
        }
        organisation(library.name, organisations, changes, **values, **_email(library))
    for partner in region.partners:
        organisation(partner.name, organisations, changes, kind=partner.kind, **_email(partner))
    for funder in region.funders:
        apply_funder(
            funder, organisation(funder.name, organisations, changes, kind="funder"), changes
        )
    db.session.flush()
    apply_plan_period(region.plan_period, changes)
    apply_target_groups(region.target_groups, changes)
    apply_report_templates(region.report_templates, organisations, changes)
    db.session.flush()
    return changes


def _email(spec: schema.Library | schema.Partner) -> dict[str, str]:
    """A contact address the file gives; one it leaves out is left as an admin set it."""
    return {"contact_email": spec.contact_email} if spec.contact_email else {}


def apply_county_library(
    region: schema.Region, organisations: dict[str, Organisation], changes: Changes
) -> None:
    spec = region.county_library
    existing = organisations.get(spec.name) or county_library()
    if existing is not None and existing.name != spec.name:
        organisations.pop(existing.name, None)
        changes.assign(existing, f"länsbiblioteket {existing.name}", name=spec.name)
        organisations[spec.name] = existing
    seat = region.municipality(spec.municipality)
    organisation(
        spec.name,
        organisations,
        changes,
        kind="county_library",
        municipality_name=seat.name,
        municipality_code=seat.scb_code,
        contact_email=spec.contact_email,
    )
    apply_settings(spec, changes)


def apply_settings(spec: schema.CountyLibrary, changes: Changes) -> None:
    """The region's words (portal/core/region_identity.py): a new token when they change, so
    every process reads them again."""
    wanted = {
        "short_name": spec.short_name,
        "email_sender_name": spec.email_sender_name,
        "footer_text": spec.footer_text,
    }
    row = db.session.execute(select(region_settings).limit(1)).mappings().first()
    if row is None:
        db.session.execute(region_settings.insert().values(**wanted, token=new_token()))
        changes.append("Nytt: länsbibliotekets kortnamn, avsändarnamn och sidfot")
        return
    differing = [name for name, value in wanted.items() if row[name] != value]
    if differing:
        db.session.execute(
            update(region_settings)
            .where(region_settings.c.id == row["id"])
            .values(**wanted, token=new_token())
        )
        changes.extend(f"Ändrat: länsbiblioteket, {name}" for name in differing)


def organisation(
    name: str, organisations: dict[str, Organisation], changes: Changes, **values: Any
) -> Organisation:
    """The organisation of that name with these values, added if missing."""
    found = organisations.get(name)
    if found is None:
        found = organisations[name] = Organisation(name=name, **values)
        changes.add(found, f"organisationen {name}")
    else:
        changes.assign(found, f"organisationen {name}", **values)
    return found


def apply_funder(spec: schema.Funder, funder: Organisation, changes: Changes) -> None:
    query = select(FunderContact).where(FunderContact.organisation_id == funder.id)
    existing = (
        {contact.email: contact for contact in db.session.scalars(query)} if funder.id else {}
    )
    for contact in spec.contacts:
        values = {
            "name": contact.name,
            "role": contact.role,
            "phone": contact.phone,
            "receives_reports": contact.receives_reports,
        }
        found = existing.get(contact.email)
        label = f"kontakten {contact.email} hos {spec.name}"
        if found is None:
            changes.add(FunderContact(organisation=funder, email=contact.email, **values), label)
        else:
            changes.assign(found, label, **values)


def apply_plan_period(spec: schema.PlanPeriod, changes: Changes) -> None:
    """The file's plan, marked current (and any other plan no longer current); its goal areas
    in the file's order."""
    period = db.session.scalar(select(PlanPeriod).where(PlanPeriod.name == spec.name))
    label = f"planen {spec.name}"
    values = {"starts_on": spec.starts_on, "ends_on": spec.ends_on, "is_current": True}
    if period is None:
        period = PlanPeriod(name=spec.name, **values)
        changes.add(period, label)
    else:
        changes.assign(period, label, **values)
    for other in db.session.scalars(
        select(PlanPeriod).where(PlanPeriod.is_current, PlanPeriod.name != spec.name)
    ):
        changes.assign(other, f"planen {other.name}", is_current=False)
    areas = {area.name: area for area in period.goal_areas} if period.id else {}
    for position, area in enumerate(spec.goal_areas, start=1):
        values = {"description": area.description, "position": position, "is_retired": False}
        found = areas.get(area.name)
        if found is None:
            changes.add(
                GoalArea(plan_period=period, name=area.name, **values), f"målområdet {area.name}"
            )
        else:
            changes.assign(found, f"målområdet {area.name}", **values)


def apply_target_groups(names: tuple[str, ...], changes: Changes) -> None:
    groups = {group.name: group for group in db.session.scalars(select(TargetGroup))}
    for position, name in enumerate(names, start=1):
        found = groups.get(name)
        if found is None:
            changes.add(TargetGroup(name=name, position=position), f"målgruppen {name}")
        else:
            changes.assign(found, f"målgruppen {name}", position=position, is_retired=False)


def apply_report_templates(
    specs: tuple[schema.ReportTemplate, ...],
    organisations: dict[str, Organisation],
    changes: Changes,
) -> None:
    builtins = {row["name"]: row for row in builtin_templates()}
    existing = {template.name: template for template in db.session.scalars(select(ReportTemplate))}
    for spec in specs:
        label = f"rapportmallen {spec.name}"
        found = existing.get(spec.name)
        if spec.is_builtin:
            row = builtins[spec.name]
            funder = organisations.get(row["funder_name"] or "")
            if found is None:
                template = ReportTemplate(
                    name=spec.name,
                    description=row["description"],
                    sections=row["sections"],
                    funder=funder,
                    is_builtin=True,
                )
                changes.add(template, label)
            elif found.funder_id is None and funder is not None:
                changes.assign(found, label, funder=funder)
            continue
        values = {
            "description": spec.description,
            "funder": organisations.get(spec.funder) if spec.funder else None,
            "sections": [dict(section) for section in spec.sections],
            "is_retired": False,
        }
        if found is None:
            changes.add(ReportTemplate(name=spec.name, is_builtin=False, **values), label)
        else:
            changes.assign(found, label, **values)
