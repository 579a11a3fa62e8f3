"""The statistics page's tables, for staff and admins as on the page (`is_staff`), from the
same saved figures (`statistics.snapshots.snapshot_of`). Cells are plain values: money in öre,
a status as its key, numbers as numbers."""

from decimal import Decimal

from flask import abort, request

from portal.accounts.permissions import is_staff
from portal.api import schemas
from portal.api.auth import reader
from portal.api.operations import operation
from portal.api.paging import json_response
from portal.extensions import db
from portal.statistics import queries, snapshots, tables

FILTERS = {
    "plan_period": "Only the projects of this plan period (an id from /plan-periods).",
    "year": "Only this year (grants decided, projects running).",
}


def _cell(value):
    return float(value) if isinstance(value, Decimal) else value


def _table(spec: tables.TableSpec, statistics: queries.Statistics) -> schemas.StatisticsTable:
    return schemas.StatisticsTable(
        slug=spec.slug,
        title=str(spec.title),
        columns=[
            schemas.StatisticsColumn(title=str(title), kind=kind)
            for title, kind in zip(spec.headers, spec.kinds, strict=True)
        ],
        rows=[[_cell(value) for value in row] for row in getattr(statistics, spec.attribute)],
    )


@operation(
    "/statistics",
    "The statistics page's tables (staff and admins)",
    "statistics",
    schemas.Statistics,
    query=FILTERS,
    forbidden=True,
)
def statistics():
    if not is_staff(reader()):
        abort(403)
    filters = queries.StatisticsFilters.from_args(request.args)
    snapshot = snapshots.snapshot_of(filters)
    db.session.commit()  # a snapshot built now is kept, as the page keeps it
    body = schemas.Statistics(
        plan_period=filters.plan_period,
        year=filters.year,
        built_at=snapshot.built_at,
        tables=[_table(spec, snapshot.statistics) for spec in tables.TABLES],
    )
    return json_response(body)
