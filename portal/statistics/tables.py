"""The statistics tables: title, columns and chart of each, shown on the page and downloaded.

The read model (queries.py) holds plain values; the words (titles, headers, status names) are
put on here, in the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from portal.core.i18n import _l, translated
from portal.core.numbers import format_money, format_number
from portal.exports.writers import kronor
from portal.projects.models import PROJECT_STATUSES
from portal.statistics.charts import bar_chart
from portal.statistics.queries import Statistics

TEXT, YEAR, MONEY, COUNT, NUMBER, STATUS = "text", "year", "money", "count", "number", "status"
GROUP = "group"  # a target group's name, or None for "no target group"
INDICATOR_HEADERS = (_l("Enhet"), _l("Indikatorer"), _l("Mål"), _l("Uppmätt"))
INDICATOR_KINDS = (TEXT, COUNT, NUMBER, NUMBER)


@dataclass(frozen=True)
class TableSpec:
    slug: str  # in the download's URL and file name
    attribute: str  # the rows on `Statistics`
    title: str
    headers: tuple
    kinds: tuple  # one per column: how a value is shown and exported
    summary: str | None = None  # a chart of (first column, last column), and its summary
    # Where a project can be in several rows: the `Statistics` attribute holding how many
    # distinct projects the rows are, and the summary's total that says so.
    distinct_total: str | None = None
    distinct_total_text: str | None = None


TABLES = (
    TableSpec(
        "finansiering-per-malomrade",
        "funding_by_area",
        _l("Finansiering per målområde"),
        (_l("Målområde"), _l("Belopp")),
        (TEXT, MONEY),
        _l("Mest pengar gick till %(label)s: %(value)s."),
    ),
    TableSpec(
        "finansiering-per-ar",
        "funding_by_year",
        _l("Finansiering per år"),
        (_l("År"), _l("Belopp")),
        (YEAR, MONEY),
        _l("Mest pengar beviljades %(label)s: %(value)s."),
    ),
    TableSpec(
        "finansiering-per-malomrade-och-ar",
        "funding_by_area_year",
        _l("Finansiering per målområde och år"),
        (_l("Målområde"), _l("År"), _l("Belopp")),
        (TEXT, YEAR, MONEY),
    ),
    TableSpec(
        "finansiering-per-finansiar",
        "funding_by_funder",
        _l("Finansiering per finansiär"),
        (_l("Finansiär"), _l("Belopp")),
        (TEXT, MONEY),
        _l("Mest pengar kom från %(label)s: %(value)s."),
    ),
    TableSpec(
        "finansiering-per-kommun",
        "funding_by_municipality",
        _l("Finansiering per kommun"),
        (_l("Kommun"), _l("Belopp")),
        (TEXT, MONEY),
        _l("Mest pengar gick till %(label)s: %(value)s."),
    ),
    TableSpec(
        "projekt-per-malgrupp",
        "projects_by_target_group",
        _l("Projekt per målgrupp"),
        (_l("Målgrupp"), _l("Antal projekt")),
        (TEXT, COUNT),
        _l("Flest projekt riktar sig till %(label)s: %(value)s."),
        "projects_with_target_group",
        _l("Totalt %(value)s; ett projekt kan ha flera målgrupper."),
    ),
    TableSpec(
        "projekt-per-status",
        "projects_by_status",
        _l("Projekt per status"),
        (_l("Status"), _l("Antal projekt")),
        (STATUS, COUNT),
        _l("Flest projekt har status %(label)s: %(value)s."),
    ),
    TableSpec(
        "indikatorer-per-malomrade",
        "indicators_by_area",
        _l("Indikatorer per målområde"),
        (_l("Målområde"), *INDICATOR_HEADERS),
        (TEXT, *INDICATOR_KINDS),
    ),
    TableSpec(
        "indikatorer-per-malgrupp",
        "indicators_by_target_group",
        _l("Indikatorer per målgrupp"),
        (_l("Målgrupp"), *INDICATOR_HEADERS),
        (GROUP, *INDICATOR_KINDS),
    ),
)
BY_SLUG = {spec.slug: spec for spec in TABLES}


def _shown(kind: str, value, statuses: dict) -> str:
    if kind == MONEY:
        return format_money(value)
    if kind == YEAR:
        return str(value) if value is not None else str(_l("Okänt år"))
    if kind == STATUS:
        return statuses.get(value, value)
    if kind == GROUP:
        return value if value is not None else str(_l("Ingen målgrupp angiven"))
    if kind in (COUNT, NUMBER):
        return format_number(value)
    return value


def _exported(kind: str, value, statuses: dict):
    if kind == MONEY:
        return kronor(value)
    if kind in (YEAR, STATUS, GROUP):
        return _shown(kind, value, statuses)
    return value


def export_table(spec: TableSpec, statistics: Statistics) -> tuple[list[str], list[tuple]]:
    """Headers and rows for a download: amounts as kronor (numbers), headers say "(kr)"."""
    statuses = translated(PROJECT_STATUSES)
    headers = [
        f"{header} (kr)" if kind == MONEY else str(header)
        for header, kind in zip(spec.headers, spec.kinds, strict=True)
    ]
    rows = [
        tuple(_exported(kind, value, statuses) for kind, value in zip(spec.kinds, row, strict=True))
        for row in getattr(statistics, spec.attribute)
    ]
    return headers, rows


@dataclass(frozen=True)
class TableView:
    spec: TableSpec
    headers: list[str]
    numeric: list[bool]
    rows: list[list[str]]
    summary: str
    chart: Markup | None


def table_views(statistics: Statistics) -> list[TableView]:
    statuses = translated(PROJECT_STATUSES)
    return [_view(spec, statistics, statuses) for spec in TABLES]


def _view(spec: TableSpec, statistics: Statistics, statuses: dict) -> TableView:
    values = getattr(statistics, spec.attribute)
    rows = [
        [_shown(kind, value, statuses) for kind, value in zip(spec.kinds, row, strict=True)]
        for row in values
    ]
    summary, chart = "", None
    if not values:
        summary = str(_l("Det finns inga uppgifter för det här urvalet."))
    elif spec.summary:
        shown_value: Callable = (
            format_money if spec.kinds[-1] == MONEY else lambda n: _l("%(n)d projekt", n=n)
        )
        top = max(range(len(values)), key=lambda index: values[index][-1])
        if spec.distinct_total:
            total_text = str(spec.distinct_total_text) % {
                "value": shown_value(getattr(statistics, spec.distinct_total))
            }
        else:
            total = sum(row[-1] for row in values)
            total_text = str(_l("Totalt %(value)s.", value=shown_value(total)))
        summary = " ".join(
            (
                str(spec.summary) % {"label": rows[top][0], "value": shown_value(values[top][-1])},
                total_text,
            )
        )
        chart = bar_chart(
            f"chart-{spec.slug}",
            str(spec.title),
            f"summary-{spec.slug}",
            [(row[0], value[-1]) for row, value in zip(rows, values, strict=True)],
            format_money if spec.kinds[-1] == MONEY else format_number,
        )
    return TableView(
        spec=spec,
        headers=[str(header) for header in spec.headers],
        numeric=[kind in (MONEY, COUNT, NUMBER) for kind in spec.kinds],
        rows=rows,
        summary=summary,
        chart=chart,
    )
