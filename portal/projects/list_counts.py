"""The project list's total and its filters' counts, added up from the kept counts.

`project_facet_counts` (kept by portal/projects/facet_counts.py) holds how many projects of each
(status, health, goal area) have each municipality, funder, target group and span of years,
alone and paired with a value of another of those. That answers the list with no filter, with
any of the filters on the projects' own columns (plan period, goal area, status, health), and
with one more filter of the four multi-valued ones: one statement of a few thousand rows,
whatever the number of projects. Two or more multi-valued filters at once are not in the
pairs; the list then counts from the projects (portal/projects/queries.py), which those filters
have already narrowed down.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, or_, select

from portal.accounts.models import Organisation
from portal.extensions import db
from portal.projects.facet_counts import (
    FUNDER,
    MUNICIPALITY,
    NONE,
    SPAN,
    TARGET_GROUP,
    span_includes,
)
from portal.projects.models import TargetGroup, project_facet_counts

# The filters answered from the projects table alone, and the multi-valued ones by the kept
# count's property they are counted by.
PROJECT_COLUMN_FILTERS = ("plan_period", "goal_area", "status", "health")
FILTER_DIMENSIONS = {
    "municipality": MUNICIPALITY,
    "funder": FUNDER,
    "target_group": TARGET_GROUP,
    "year": SPAN,
}
MAX_YEARS = 40


@dataclass(frozen=True)
class Group:
    """How many projects share a status, health and goal area (under the other filters)."""

    status: str
    health: str
    goal_area: int
    plan_period: int | None
    count: int


def passes(group: Group, filters, skip: str | None = None) -> bool:
    """Whether the group's projects pass the column filters (but `skip`)."""
    return all(
        getattr(filters, name) is None
        or name == skip
        or getattr(group, name) == getattr(filters, name)
        for name in PROJECT_COLUMN_FILTERS
    )


@dataclass
class Counted:
    """The groups under the multi-valued filter (if any), and per multi-valued filter its
    values' counts under all the other filters (the year's as spans of years)."""

    groups: list[Group]
    values: dict[str, Counter]


def applied_multi_valued(filters) -> list[str]:
    return [name for name in FILTER_DIMENSIONS if getattr(filters, name) is not None]


def _matches(filters, name: str) -> Callable[[str], bool]:
    wanted = getattr(filters, name)
    if name == "year":
        return lambda span: span_includes(span, wanted)
    return lambda value: value == str(wanted)


def _matches_in_sql(filters, name: str, column):
    if name != "year":
        return column == str(getattr(filters, name))
    year = f"{filters.year:04d}"  # spans are "2015:2017" or "2015:"
    last = func.substr(column, 6, 4)
    return and_(func.substr(column, 1, 4) <= year, or_(last == "", last >= year))


def counted(filters, period_of: dict[int, int]) -> Counted | None:
    """The counts for these filters, or None if two or more multi-valued filters apply."""
    applied = applied_multi_valued(filters)
    if len(applied) > 1:
        return None
    c = project_facet_counts.c
    wanted = c.by_dimension == NONE
    name_of = {dimension: name for name, dimension in FILTER_DIMENSIONS.items()}
    applied_dimension, matches = None, None
    if applied:
        applied_dimension = FILTER_DIMENSIONS[applied[0]]
        matches = _matches(filters, applied[0])
        wanted = or_(
            wanted,
            and_(
                c.by_dimension == applied_dimension,
                _matches_in_sql(filters, applied[0], c.by_value),
            ),
        )
    rows = db.session.execute(
        select(
            c.status, c.health, c.goal_area_id, c.dimension, c.value, c.by_dimension, c.projects
        ).where(c.projects > 0, wanted)
    )
    groups: Counter = Counter()
    values: dict[str, Counter] = {name: Counter() for name in FILTER_DIMENSIONS}
    kept: dict[tuple, bool] = {}

    def passes_columns(key: tuple) -> bool:
        if key not in kept:
            kept[key] = passes(Group(*key[:3], period_of.get(key[2]), 0), filters)
        return kept[key]

    for status, health, area_id, dimension, value, by_dimension, count in rows:
        key = (status, health, area_id)
        if by_dimension == NONE:
            if dimension == (applied_dimension or NONE) and (matches is None or matches(value)):
                groups[key] += count
            if dimension == NONE or (applied_dimension and dimension != applied_dimension):
                continue  # under the applied filter, other properties are counted by pairs
        if passes_columns(key):
            values[name_of[dimension]][value] += count
    return Counted(
        groups=[
            Group(status, health, area_id, period_of.get(area_id), count)
            for (status, health, area_id), count in groups.items()
        ],
        values=values,
    )


def years(spans: list[tuple[int, int | None, int]]) -> list[tuple]:
    """(year, label, count) for each year from the first start to the last year any project
    runs (the last MAX_YEARS of them), from (first year, last year or None, projects)."""
    if not spans:
        return [(date.today().year, str(date.today().year), 0)]
    first = min(start for start, _, _ in spans)
    last = max(end if end is not None else start for start, end, _ in spans)
    return [
        (
            year,
            str(year),
            sum(n for start, end, n in spans if start <= year and (end is None or end >= year)),
        )
        for year in list(range(first, last + 1))[-MAX_YEARS:]
    ]


def counted_options(counted_values: dict[str, Counter]) -> dict[str, list[tuple]]:
    """The four multi-valued filters' options, (value, label, count), in the list's order:
    municipalities and funders by name, target groups as the admin ordered them, years."""
    municipalities = counted_values["municipality"]
    funders = counted_values["funder"]
    groups = counted_values["target_group"]
    return {
        "municipality": sorted((name, name, n) for name, n in municipalities.items() if n),
        "funder": _named(Organisation, funders, order=lambda row: (row.name, row.id)),
        "target_group": _named(TargetGroup, groups, order=lambda row: (row.position, row.name)),
        "year": years(
            [
                (int(first), int(last) if last else None, n)
                for span, n in counted_values["year"].items()
                if n
                for first, _, last in [span.partition(":")]
            ]
        ),
    }


def _named(model, counts: Counter, order) -> list[tuple]:
    ids = [int(value) for value, n in counts.items() if n]
    if not ids:
        return []
    columns = [model.id, model.name] + ([model.position] if model is TargetGroup else [])
    rows = sorted(db.session.execute(select(*columns).where(model.id.in_(ids))), key=order)
    return [(row.id, row.name, counts[str(row.id)]) for row in rows]
