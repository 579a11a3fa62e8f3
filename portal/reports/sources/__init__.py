"""Named data sources a report section is drafted from.

Each source takes the report's `Period` (project, grant, first and last day) and returns a
`Draft`: a JSON-able snapshot of the figures for that period and a Swedish text drafted from
them. The snapshot is stored in the report version as it is, so a version always renders the
same document, however the project's record changes afterwards.

A snapshot is a dict with any of these keys, which the editor and the document both render:
  "facts":  [[label, value], ...]                     a short list of labelled values
  "tables": [{"caption", "columns", "rows", "numeric"}] cells are already formatted text; the
            first cell of a row is its header; "numeric" marks right-aligned columns
  "chart":  {"title", "unit", "bars": [{"label", "value", "target"}]}   drawn by charts.py
  "figures": raw numbers (öre, counts) for whoever needs to compute with them
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import force_locale

from portal.core.i18n import _l
from portal.reports.sources import economy, narrative, parties, progress
from portal.reports.sources.period import Draft, Period


@dataclass(frozen=True)
class Source:
    name: str
    label: object  # a lazy Swedish string
    draft: Callable[[Period], Draft]


SOURCES: dict[str, Source] = {
    source.name: source
    for source in [
        Source("narrative", _l("Fritext (fylls i av dig)"), narrative.draft_narrative),
        Source("recipient", _l("Bidragsmottagare"), parties.draft_recipient),
        Source("contact_person", _l("Kontaktperson (projektledaren)"), parties.draft_contact),
        Source("case_number", _l("Diarienummer och bidrag"), parties.draft_case_number),
        Source("updates", _l("Uppdateringar under perioden"), progress.draft_updates),
        Source("milestones", _l("Milstolpar nådda och missade"), progress.draft_milestones),
        Source("indicators", _l("Indikatorer mot mål"), progress.draft_indicators),
        Source("target_groups", _l("Målgrupper och räckvidd"), parties.draft_target_groups),
        Source("participants", _l("Deltagande organisationer"), parties.draft_participants),
        Source("economy", _l("Ekonomi: finansiering och kostnader"), economy.draft_economy),
    ]
}


def sources() -> dict[str, Source]:
    return SOURCES


def is_source(name: str) -> bool:
    return name in sources()


def source_choices() -> list[tuple[str, str]]:
    return [(name, str(source.label)) for name, source in sources().items()]


def draft_section(name: str, period: Period) -> Draft:
    """The snapshot and drafted text of one source, in Swedish whoever is logged in: the report
    goes to a Swedish funder."""
    with force_locale("sv"):
        return sources()[name].draft(period)
