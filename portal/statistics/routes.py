"""The statistics page and its tables as downloads, for county library staff and admins."""

from flask import abort, render_template, request

from portal.core.permissions import require_role
from portal.core.read_cache import cached_fragment
from portal.exports.writers import download
from portal.statistics import bp, queries, tables


@bp.route("/statistik")
@require_role("staff", "admin")
def statistics_page():
    filters = queries.StatisticsFilters.from_args(request.args)
    body = cached_fragment(
        "statistics/_body.html",
        filters.plan_period,
        filters.year,
        context=lambda: _body_context(filters),
    )
    return render_template("statistics/page.html", body=body)


def _body_context(filters) -> dict:
    statistics = queries.statistics(filters)
    return {
        "statistics": statistics,
        "filters": filters,
        "views": tables.table_views(statistics),
    }


@bp.route("/statistik/<slug>.<any(csv, xlsx):file_format>")
@require_role("staff", "admin")
def download_table(slug: str, file_format: str):
    spec = tables.BY_SLUG.get(slug)
    if spec is None:
        abort(404)
    filters = queries.StatisticsFilters.from_args(request.args)
    headers, rows = tables.export_table(spec, queries.statistics(filters))
    filename = slug if filters.year is None else f"{slug}-{filters.year}"
    return download(headers, rows, filename, file_format)
