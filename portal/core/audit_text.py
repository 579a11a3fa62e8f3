"""The audit log in words: "Bidraget från Kulturrådet ändrades från 200 000 kr till 250 000 kr".

The log keeps structured data (`AuditEntry.changes`, field → [before, after], ids and öre);
the sentences are built here when a page or a file is made, so the wording can change without
touching a stored row. Core imports no feature, so each feature registers at start-up how its
entities are called (`register_entity`) and how to name a row by its id (`register_names`).
The names of every row an entry points at are loaded in one query per kind of row, whatever
the number of entries (`describe`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from babel import dates as babel_dates
from flask_babel import get_locale
from sqlalchemy import select

from portal.core.audit import AuditEntry
from portal.core.dates import STOCKHOLM, local_time
from portal.core.i18n import _l
from portal.core.numbers import MISSING, SWEDISH, format_money, format_number
from portal.extensions import db

TEXT = "text"
AMOUNT = "amount"
DATE = "date"
NUMBER = "number"
FLAG = "flag"
# A description of thousands of characters is cut in the sentence; the CSV file keeps it whole.
LONGEST_TEXT = 120

ACTIONS = {
    "create": _l("skapad"),
    "update": _l("ändrad"),
    "delete": _l("borttagen"),
    "version": _l("ny version"),
    "restore": _l("återställd"),
    "purge": _l("raderad för gott"),
    "end_sessions": _l("utloggad överallt"),
    "erase": _l("raderad och anonymiserad"),
    "remove_mfa": _l("tvåstegsverifiering borttagen"),
}


@dataclass(frozen=True)
class Field:
    """How one stored field is called and shown. `names` is the kind of row an id points at
    (see `register_names`); `choices` the labels of a stored code; a field holding a list of
    ids (team_ids) is named item by item."""

    label: str
    kind: str = TEXT
    names: str | None = None
    choices: Mapping[str, str] | None = None
    show: Callable[[object], str] | None = None


@dataclass(frozen=True)
class Entity:
    """A kind of audited row. `subject` is its name in a sentence, with `%(name)s` for what
    tells it apart ("Bidraget från %(name)s"); the name comes from `name_field` in the entry's
    changes, else from the row itself through `names` (the kind of row keyed by entity id).
    `value_field` is the field that is the row's value: a change to it reads "Bidraget …
    ändrades från X till Y" without naming the field."""

    label: str
    subject: str
    anonymous: str
    fields: Mapping[str, Field] = field(default_factory=dict)
    name_field: str | None = None
    names: str | None = None
    value_field: str | None = None


@dataclass(frozen=True)
class Readable:
    """One audit entry as people read it, beside the entry's structured data."""

    entry: AuditEntry
    at: str
    actor: str
    kind: str
    headline: str
    details: list[str]

    @property
    def local_iso(self) -> str:
        """The time for `<time datetime>`, with the offset of Swedish time that day."""
        return self.entry.at.astimezone(STOCKHOLM).isoformat()

    @property
    def text(self) -> str:
        """The entry on one line (a CSV cell): each field a sentence of its own."""
        sentences = [line if line.endswith(".") else f"{line}." for line in self.details]
        return " ".join([self.headline, *sentences])


ENTITIES: dict[str, Entity] = {}
NAME_LOADERS: dict[str, Callable[[set[int]], dict[int, str]]] = {}


def register_entity(entity: str, description: Entity) -> None:
    ENTITIES[entity] = description


def register_names(kind: str, loader: Callable[[set[int]], dict[int, str]]) -> None:
    """`loader(ids)` returns {id: name} with one query (a row that is gone is left out)."""
    NAME_LOADERS[kind] = loader


def name_loader(id_column, name_column, join=None) -> Callable[[set[int]], dict[int, str]]:
    """A loader of {id: name} in one query, for `register_names`; `join` is the relationship
    to join when the name sits in another table (a grant is named by its funder)."""

    def load(ids: set[int]) -> dict[int, str]:
        query = select(id_column, name_column).where(id_column.in_(ids))
        if join is not None:
            query = query.join(join)
        return {row[0]: row[1] for row in db.session.execute(query)}

    return load


def entity_choices() -> list[tuple[str, str]]:
    return sorted(((key, str(entity.label)) for key, entity in ENTITIES.items()), key=_second)


def action_choices() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in ACTIONS.items()]


def _second(pair: tuple[str, str]) -> str:
    return pair[1]


def describe(entries: Iterable) -> list[Readable]:
    """The entries in words, with the names they need loaded in one query per kind of row."""
    entries = list(entries)
    names = _load_names(entries)
    return [_readable(entry, names) for entry in entries]


def _wanted_ids(entries: list) -> dict[str, set[int]]:
    wanted: dict[str, set[int]] = {kind: set() for kind in NAME_LOADERS}
    for entry in entries:
        entity = ENTITIES.get(entry.entity)
        if entity is None:
            continue
        if entity.names and entry.entity_id:
            wanted[entity.names].add(entry.entity_id)
        for name, pair in (entry.changes or {}).items():
            described = entity.fields.get(name)
            if described is None or described.names is None:
                continue
            for value in pair:
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, int):
                        wanted[described.names].add(item)
    return wanted


def _load_names(entries: list) -> dict[str, dict[int, str]]:
    return {
        kind: NAME_LOADERS[kind](ids) if ids else {} for kind, ids in _wanted_ids(entries).items()
    }


def _readable(entry, names: dict[str, dict[int, str]]) -> Readable:
    entity = ENTITIES.get(entry.entity)
    action = str(ACTIONS.get(entry.action, entry.action))
    actor = entry.actor.name if entry.actor else str(_l("Systemet"))
    if entity is None:
        label = entry.entity.replace("_", " ").capitalize()
        headline = f"{label} {entry.entity_id or ''}: {action}".replace("  ", " ")
        details = [
            f"{name}: {_raw(pair[0])} → {_raw(pair[1])}"
            for name, pair in sorted((entry.changes or {}).items())
        ]
        return Readable(entry, local_time(entry.at), actor, label, headline, details)
    subject = _subject(entity, entry, names)
    headline, details = _sentences(entity, entry, subject, action, names)
    kind = f"{entity.label}: {action}"
    return Readable(entry, local_time(entry.at), actor, kind, headline, details)


def _subject(entity: Entity, entry, names: dict[str, dict[int, str]]) -> str:
    name = None
    changes = entry.changes or {}
    if entity.name_field and entity.name_field in changes:
        before, after = changes[entity.name_field]
        # A change names the row as people knew it; a new row by what it became.
        known_before = entry.action == "update" and before not in (None, "")
        value = before if known_before or after is None else after
        described = entity.fields.get(entity.name_field)
        if described and described.names and isinstance(value, int):
            name = names.get(described.names, {}).get(value)
        elif value not in (None, ""):
            name = str(value)
    if name is None and entity.names and entry.entity_id:
        name = names.get(entity.names, {}).get(entry.entity_id)
    if name is None:
        return str(entity.anonymous)
    return str(entity.subject) % {"name": name}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _sentences(entity: Entity, entry, subject: str, action: str, names) -> tuple[str, list[str]]:
    changes = entry.changes or {}
    ordered = [name for name in entity.fields if name in changes] + sorted(
        name for name in changes if name not in entity.fields
    )
    if entry.action == "update":
        details = [
            _changed(entity, subject, name, changes[name], names)
            for name in ordered
            if name != entity.value_field
        ]
        if entity.value_field and entity.value_field in changes:
            headline = _changed(
                entity, subject, entity.value_field, changes[entity.value_field], names
            )
        elif len(details) == 1:
            headline, details = details[0], []
        else:
            headline = str(_l("%(subject)s ändrades.", subject=subject))
        return headline, details
    if entry.action == "create":
        headline = str(_l("%(subject)s lades till.", subject=subject))
        side = 1
    elif entry.action == "delete":
        headline = str(_l("%(subject)s togs bort.", subject=subject))
        side = 0
    else:
        headline = f"{subject}: {action}."
        side = 1
    details = [
        f"{_label(entity, name)}: {_shown(entity, name, changes[name][side], names)}"
        for name in ordered
        if changes[name][side] not in (None, "", [])
    ]
    return headline, details


def _changed(entity: Entity, subject: str, name: str, pair, names) -> str:
    before, after = (_shown(entity, name, value, names) for value in pair)
    if name == entity.value_field:
        return str(
            _l(
                "%(subject)s ändrades från %(before)s till %(after)s.",
                subject=subject,
                before=before,
                after=after,
            )
        )
    return str(
        _l(
            "%(field)s för %(subject)s ändrades från %(before)s till %(after)s.",
            field=_label(entity, name),
            subject=_lower_first(subject),
            before=before,
            after=after,
        )
    )


def _label(entity: Entity, name: str) -> str:
    described = entity.fields.get(name)
    return str(described.label) if described else name


def _shown(entity: Entity, name: str, value, names) -> str:
    """One stored value as people read it: a name for an id, kronor for öre, a Swedish date."""
    if value is None or value == "" or value == []:
        return MISSING
    described = entity.fields.get(name)
    if described is None:
        return _raw(value)
    if described.names:
        known = names.get(described.names, {})
        items = value if isinstance(value, list) else [value]
        shown = [known.get(item, str(_l("nr %(id)s", id=item))) for item in items]
        return ", ".join(shown)
    if described.show is not None:
        return described.show(value)
    if described.choices is not None:
        return str(described.choices.get(value, value))
    if described.kind == AMOUNT and isinstance(value, int):
        return format_money(value)
    if described.kind == NUMBER and isinstance(value, int | float | str):
        return format_number(_number(value))
    if described.kind == DATE and isinstance(value, str):
        return swedish_date(value)
    if described.kind == FLAG:
        return str(_l("ja")) if value else str(_l("nej"))
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    text = str(value)
    if len(text) > LONGEST_TEXT:
        text = text[: LONGEST_TEXT - 1].rstrip() + "…"
    return f"”{text}”"


def _number(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return value


def swedish_date(value: str) -> str:
    """ "2016-03-04" → "4 mars 2016" in the language of the page."""
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return value
    return babel_dates.format_date(day, format="long", locale=get_locale() or SWEDISH)


def _raw(value) -> str:
    if value is None:
        return MISSING
    if isinstance(value, datetime):
        return local_time(value)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)
