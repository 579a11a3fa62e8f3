"""The statistics page and its tables as downloads, for county library staff and admins."""

from flask import abort, render_template, request

from portal.accounts.permissions import require_staff
from portal.core.read_cache import cached_fragment
from portal.exports.writers import download
from portal.extensions import db
from portal.statistics import bp, queries, snapshots, tables


@bp.route("/statistik")
@require_staff
def statistics_page():
    filters = queries.StatisticsFilters.from_args(request.args)
    snapshot = snapshots.snapshot_of(filters)
    db.session.commit()
    body = cached_fragment(
        "statistics/_body.html",
        filters.plan_period,
        filters.year,
        snapshot.built_at.isoformat(),
        context=lambda: _body_context(filters, snapshot),
    )
    return render_template("statistics/page.html", body=body)


def _body_context(filters, snapshot) -> dict:
    return {
        "statistics": snapshot.statistics,
        "snapshot": snapshot,
        "filters": filters,
        "views": tables.table_views(snapshot.statistics),
    }


@bp.route("/statistik/<slug>.<any(csv, xlsx):file_format>")
@require_staff
def download_table(slug: str, file_format: str):
    spec = tables.BY_SLUG.get(slug)
    if spec is None:
        abort(404)
    filters = queries.StatisticsFilters.from_args(request.args)
    snapshot = snapshots.snapshot_of(filters)
    db.session.commit()
    headers, rows = tables.export_table(spec, snapshot.statistics)
    filename = slug if filters.year is None else f"{slug}-{filters.year}"
    return download(headers, rows, filename, file_format)
