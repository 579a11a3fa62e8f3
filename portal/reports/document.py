"""The report as the funder sees it: one complete, standalone HTML document.

The preview page shows it and the PDF is rendered from it (WeasyPrint), so both are the same
document: Swedish (lang="sv"), a title naming the project, the kind and the period, the grant's
case number in the body, headings, tables with header cells, charts as inline SVG with text
alternatives, and its CSS inline (no external assets).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from flask_babel import force_locale
from markupsafe import Markup

from portal.reports.charts import target_bar_chart
from portal.reports.models import REPORT_KINDS, Report, ReportVersion
from portal.reports.services import current_version


def document_title(report: Report) -> str:
    kind = str(REPORT_KINDS.get(report.kind, report.kind))
    period = f"{report.period_starts_on.isoformat()}–{report.period_ends_on.isoformat()}"
    return f"{report.project.title} – {kind} {period}"


def chart_svg(chart: dict | None, chart_id: str) -> Markup:
    if not chart or not chart.get("bars"):
        return Markup("")
    return target_bar_chart(chart.get("title", ""), chart["bars"], chart_id=chart_id)


# How many characters of DejaVu Sans (about 0.6 em each; digits are wider than most letters) fit
# across the page's text width (A4 less 2 × 18 mm, ~493 pt) in each of the table type sizes of
# document.html: .92em, .8em and .68em of 11 pt.
LINE_CHARACTERS = {"": 78, "wide": 90, "very-wide": 106}
# Cell padding and border, in characters.
CELL_PADDING = 1.5
# A text column asks for at most this many characters; longer names wrap.
TEXT_COLUMN_MAX = 30
# A header word longer than this is hyphenated rather than widening its column.
HEADER_WORD_MAX = 12


@dataclass(frozen=True)
class TableLayout:
    """A table's type size (a class of document.html) and its column widths in per cent."""

    size: str
    widths: list[float]


def _longest_word(text: str) -> int:
    return max((len(word) for word in str(text).split()), default=0)


def table_layout(table: dict) -> TableLayout:
    """Column widths measured from the cells, so the PDF's fixed-layout tables fit the page.

    A number column is never narrower than its widest figure, which never wraps; its header
    wraps instead. A text column wants its longest cell (up to TEXT_COLUMN_MAX) and makes do
    with its longest word (up to HEADER_WORD_MAX; longer words are hyphenated). The type gets
    smaller until what the columns want fits, or at least what they need; the room left over is
    shared in proportion to what each wants beyond its need. Measured here in characters rather
    than by WeasyPrint's automatic layout, which costs seconds on a long table.
    """
    columns = [str(column) for column in table.get("columns", [])]
    numeric = list(table.get("numeric", [])) + [False] * len(columns)
    rows = table.get("rows", [])
    needs: list[float] = []
    wants: list[float] = []
    for index, column in enumerate(columns):
        cells = [str(row[index]) for row in rows if index < len(row)]
        header = min(_longest_word(column), HEADER_WORD_MAX)
        if numeric[index]:
            widest = max((len(cell) for cell in cells), default=0)
            needs.append(widest + CELL_PADDING)
            wants.append(max(widest, header) + CELL_PADDING)
        else:
            longest_word = max((_longest_word(cell) for cell in cells), default=0)
            needs.append(min(max(longest_word, header), HEADER_WORD_MAX) + CELL_PADDING)
            longest = min(max((len(cell) for cell in cells), default=0), TEXT_COLUMN_MAX)
            wants.append(max(longest, header) + CELL_PADDING)
    if not columns:
        return TableLayout("", [])
    size = next(
        (size for size, characters in LINE_CHARACTERS.items() if sum(wants) <= characters),
        next(
            (size for size, characters in LINE_CHARACTERS.items() if sum(needs) <= characters),
            "very-wide",
        ),
    )
    line = LINE_CHARACTERS[size]
    if sum(wants) <= line or sum(needs) >= line:
        basis = wants if sum(wants) <= line else needs
        return TableLayout(size, [width * 100 / sum(basis) for width in basis])
    extra = [want - need for want, need in zip(wants, needs, strict=True)]
    room = line - sum(needs)
    widths = [
        (need + room * more / sum(extra)) * 100 / line
        for need, more in zip(needs, extra, strict=True)
    ]
    return TableLayout(size, widths)


def render_document(
    report: Report, version: ReportVersion | None = None, *, on_screen: bool = False
) -> str:
    """The whole HTML document of `version` (the latest when None), always in Swedish.
    `on_screen` adds the rules for a narrow browser window (the preview); WeasyPrint knows
    media types but not media features, and would warn about them on every PDF."""
    version = version or current_version(report)
    with force_locale("sv"):
        return render_template(
            "reports/document.html",
            report=report,
            version=version,
            title=document_title(report),
            kind_label=str(REPORT_KINDS.get(report.kind, report.kind)),
            chart_svg=chart_svg,
            table_layout=table_layout,
            on_screen=on_screen,
        )
