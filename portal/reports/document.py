"""The report as the funder sees it: one complete, standalone HTML document.

The preview page shows it and the PDF is rendered from it (WeasyPrint), so both are the same
document: Swedish (lang="sv"), a title naming the project, the kind and the period, the grant's
case number in the body, headings, tables with header cells, charts as inline SVG with text
alternatives, and its CSS inline (no external assets).
"""

from __future__ import annotations

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


def render_document(report: Report, version: ReportVersion | None = None) -> str:
    """The whole HTML document of `version` (the latest when None), always in Swedish."""
    version = version or current_version(report)
    with force_locale("sv"):
        return render_template(
            "reports/document.html",
            report=report,
            version=version,
            title=document_title(report),
            kind_label=str(REPORT_KINDS.get(report.kind, report.kind)),
            chart_svg=chart_svg,
        )
