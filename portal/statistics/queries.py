"""The statistics page's read model: every figure summed or counted by the database.

How money is attributed:
- Money is the grants' amounts (external funding); own contributions are not counted.
- A grant belongs to its project's (primary) goal area, and to the year it was decided
  (`decided_on`), else the year its grant period starts, else the year its project starts;
  a grant with none of these dates is counted under "unknown year" (and left out when a
  year is chosen).
- Per municipality: a project's grants are shared equally among its participating
  organisations that have a municipality (two libraries in Kramfors and one in Timrå:
  Kramfors gets two thirds, Timrå one third), in whole kronor by the largest remainder
  (portal.core.money.split_amount), so a project's shares add up to its grants to the öre.
  Projects without such a participant are left out of that table, so it can add up to less
  than the other tables.
- Project counts (per target group, per status) count projects of the chosen plan period that
  run in the chosen year. A project can have several target groups, so the rows per target
  group can add up to more than the projects: the number of distinct projects is counted
  beside them. Indicators belong to their own goal area, else to their project's, and to
  their target group (or none); their measured values are summed over the chosen year (all
  years when none is chosen), and rolled up per goal area and unit, and per target group and
  unit (families are not added to visits).

A fixed number of statements builds the page, whatever the number of projects (9, each an
aggregate); the result is plain values, saved by portal/statistics/snapshots.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import groupby

from sqlalchemy import func, select, text

from portal.accounts.models import Organisation
from portal.core.forms import int_or_none
from portal.core.money import split_amount
from portal.extensions import db
from portal.projects.models import (
    PROJECT_STATUSES,
    GoalArea,
    Grant,
    Indicator,
    Measurement,
    PlanPeriod,
    Project,
    ProjectParticipant,
    TargetGroup,
    project_target_groups,
)
from portal.projects.queries import ProjectFilters, filter_conditions

MAX_YEARS = 40


@dataclass(frozen=True)
class StatisticsFilters:
    plan_period: int | None = None
    year: int | None = None

    @classmethod
    def from_args(cls, args) -> StatisticsFilters:
        """From the GET form's query string; an unknown value is ignored, not an error."""
        year = int_or_none(args.get("year"))
        return cls(
            plan_period=int_or_none(args.get("plan_period")),
            year=year if year and 1900 <= year <= 2200 else None,
        )

    def query_args(self) -> dict:
        values = {"plan_period": self.plan_period, "year": self.year}
        return {key: value for key, value in values.items() if value is not None}


@dataclass(frozen=True)
class Statistics:
    """Plain values only (the read cache may keep them in Redis)."""

    filters: StatisticsFilters
    plan_periods: list  # (id, name)
    years: list  # ints, newest first
    funding_by_area_year: list  # (goal area, year or None, öre)
    funding_by_area: list  # (goal area, öre)
    funding_by_year: list  # (year or None, öre)
    funding_by_funder: list  # (funder, öre)
    funding_by_municipality: list  # (municipality, öre)
    projects_by_target_group: list  # (target group, count)
    projects_with_target_group: int  # distinct projects in the rows above
    projects_by_status: list  # (status key, count)
    indicators_by_area: list  # (goal area, unit, indicators, target, measured)
    indicators_by_target_group: list  # (target group or None, unit, indicators, target, measured)


def grant_year():
    """The year a grant's money is counted in (see the module docstring)."""
    return func.extract(
        "year", func.coalesce(Grant.decided_on, Grant.period_starts_on, Project.starts_on)
    )


def _in_period(filters: StatisticsFilters) -> list:
    return filter_conditions(ProjectFilters(plan_period=filters.plan_period))


def _running(filters: StatisticsFilters) -> list:
    return filter_conditions(ProjectFilters(plan_period=filters.plan_period, year=filters.year))


def _grant_conditions(filters: StatisticsFilters) -> list:
    conditions = _in_period(filters)
    if filters.year is not None:
        conditions.append(grant_year() == filters.year)
    return conditions


def build_statistics(filters: StatisticsFilters) -> Statistics:
    """Every figure of the page, from the database (see portal/statistics/snapshots.py for
    how they are kept between changes)."""
    if db.session.get_bind().dialect.name == "postgresql":
        # Each query reads whole tables, so the planner's cost passes the JIT threshold and
        # PostgreSQL spends up to a second compiling code that then runs for milliseconds.
        db.session.execute(text("SET LOCAL jit = off"))
    by_area_year = _funding_by_area_year(filters)
    by_target_group, with_target_group = _projects_by_target_group(filters)
    return Statistics(
        filters=filters,
        plan_periods=[
            tuple(row)
            for row in db.session.execute(
                select(PlanPeriod.id, PlanPeriod.name).order_by(
                    PlanPeriod.starts_on.desc(), PlanPeriod.name
                )
            )
        ],
        years=_years(),
        funding_by_area_year=by_area_year,
        funding_by_area=_totals(by_area_year, key=lambda row: row[0]),
        funding_by_year=sorted(
            _totals(by_area_year, key=lambda row: row[1]),
            key=lambda row: (row[0] is None, row[0] or 0),
        ),
        funding_by_funder=_funding_by_funder(filters),
        funding_by_municipality=_funding_by_municipality(filters),
        projects_by_target_group=by_target_group,
        projects_with_target_group=with_target_group,
        projects_by_status=_projects_by_status(filters),
        indicators_by_area=_indicators_by_area(filters),
        indicators_by_target_group=_indicators_by_target_group(filters),
    )


def _years() -> list[int]:
    """The years that have projects or grants, newest first: min and max of plain date columns
    (no expression over every row), so the database reads a handful of index entries."""
    row = db.session.execute(
        select(
            select(func.min(Project.starts_on)).scalar_subquery(),
            select(func.max(Project.starts_on)).scalar_subquery(),
            select(func.max(Project.ends_on)).scalar_subquery(),
            select(func.min(Grant.decided_on)).scalar_subquery(),
            select(func.max(Grant.decided_on)).scalar_subquery(),
        )
    ).one()
    years = [_year_of(value) for value in row if value is not None]
    if not years:
        return [date.today().year]
    first, last = min(years), max(years)
    return list(range(last, max(first, last - MAX_YEARS + 1) - 1, -1))


def _year_of(value) -> int:
    """A date column's value: a date on PostgreSQL, an ISO string from SQLite's min()."""
    return value.year if isinstance(value, date) else int(str(value)[:4])


def _area_labels(rows) -> dict[int, str]:
    """A goal area's name, with its plan period where two plan periods use the same name."""
    names: dict[str, set] = {}
    for _area_id, name, period, *_ in rows:
        names.setdefault(name, set()).add(period)
    return {
        area_id: name if len(names[name]) == 1 else f"{name} ({period})"
        for area_id, name, period, *_ in rows
    }


def _funding_by_area_year(filters: StatisticsFilters) -> list[tuple]:
    year = grant_year()
    rows = db.session.execute(
        select(
            GoalArea.id,
            GoalArea.name,
            PlanPeriod.name,
            year.label("year"),
            func.sum(Grant.amount_ore),
        )
        .select_from(Grant)
        .join(Project, Project.id == Grant.project_id)
        .join(GoalArea, GoalArea.id == Project.goal_area_id)
        .join(PlanPeriod, PlanPeriod.id == GoalArea.plan_period_id)
        .where(*_grant_conditions(filters))
        .group_by(GoalArea.id, GoalArea.name, PlanPeriod.name, GoalArea.position, year)
        .order_by(PlanPeriod.name, GoalArea.position, GoalArea.name, year)
    ).all()
    labels = _area_labels(rows)
    return [
        (labels[area_id], int(year) if year is not None else None, int(amount))
        for area_id, _, _, year, amount in rows
    ]


def _totals(rows: list[tuple], key) -> list[tuple]:
    """Adds up already summed groups (a few dozen rows) to coarser ones, in first-seen order."""
    totals: dict = {}
    for row in rows:
        totals[key(row)] = totals.get(key(row), 0) + row[-1]
    return list(totals.items())


def _funding_by_funder(filters: StatisticsFilters) -> list[tuple]:
    amount = func.sum(Grant.amount_ore)
    rows = db.session.execute(
        select(Organisation.name, amount)
        .select_from(Grant)
        .join(Project, Project.id == Grant.project_id)
        .join(Organisation, Organisation.id == Grant.funder_id)
        .where(*_grant_conditions(filters))
        .group_by(Organisation.id, Organisation.name)
        .order_by(amount.desc(), Organisation.name)
    )
    return [(name, int(total)) for name, total in rows]


def _funding_by_municipality(filters: StatisticsFilters) -> list[tuple]:
    """Each project's grants shared among the municipalities of its participants, in
    proportion to how many of them are in each, in whole kronor by the largest remainder: one
    statement gives per project and municipality the grants and the participants, and the
    shares are added up here."""
    located = (
        select(
            ProjectParticipant.project_id,
            Organisation.municipality_name,
            func.count().label("participants"),
        )
        .join(Organisation, Organisation.id == ProjectParticipant.organisation_id)
        .where(Organisation.municipality_name.is_not(None))
        .group_by(ProjectParticipant.project_id, Organisation.municipality_name)
        .subquery()
    )
    money = (
        select(Grant.project_id, func.sum(Grant.amount_ore).label("amount"))
        .join(Project, Project.id == Grant.project_id)
        .where(*_grant_conditions(filters))
        .group_by(Grant.project_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            money.c.project_id,
            money.c.amount,
            located.c.municipality_name,
            located.c.participants,
        )
        .join(located, located.c.project_id == money.c.project_id)
        .order_by(money.c.project_id, located.c.municipality_name)
    )
    totals: dict[str, int] = {}
    for _project_id, project_rows in groupby(rows, key=lambda row: row.project_id):
        shared = list(project_rows)
        shares = split_amount(int(shared[0].amount), [int(row.participants) for row in shared])
        for row, share in zip(shared, shares, strict=True):
            totals[row.municipality_name] = totals.get(row.municipality_name, 0) + share
    return sorted(totals.items(), key=lambda item: (-item[1], item[0]))


def _projects_by_target_group(filters: StatisticsFilters) -> tuple[list[tuple], int]:
    """Projects per target group, and (in the same statement) how many distinct projects they
    are: a project with two target groups is in two rows but is one project."""
    running = (
        select(project_target_groups.c.project_id)
        .join(Project, Project.id == project_target_groups.c.project_id)
        .where(*_running(filters))
    )
    distinct_projects = (
        select(func.count(func.distinct(running.subquery().c.project_id)))
    ).scalar_subquery()
    rows = db.session.execute(
        select(TargetGroup.name, func.count(func.distinct(Project.id)), distinct_projects)
        .select_from(project_target_groups)
        .join(TargetGroup, TargetGroup.id == project_target_groups.c.target_group_id)
        .join(Project, Project.id == project_target_groups.c.project_id)
        .where(*_running(filters))
        .group_by(TargetGroup.id, TargetGroup.name, TargetGroup.position)
        .order_by(TargetGroup.position, TargetGroup.name)
    ).all()
    total = int(rows[0][2]) if rows else 0
    return [(name, int(count)) for name, count, _ in rows], total


def _projects_by_status(filters: StatisticsFilters) -> list[tuple]:
    counts = dict(
        db.session.execute(
            select(Project.status, func.count(Project.id))
            .where(*_running(filters))
            .group_by(Project.status)
        ).all()
    )
    return [(status, int(counts[status])) for status in PROJECT_STATUSES if counts.get(status)]


def _measured(filters: StatisticsFilters):
    """Each indicator's measured values summed over the chosen year (all years without one)."""
    measured = select(
        Measurement.indicator_id, func.sum(Measurement.value).label("measured")
    ).group_by(Measurement.indicator_id)
    if filters.year is not None:
        measured = measured.where(
            Measurement.measured_on >= date(filters.year, 1, 1),
            Measurement.measured_on <= date(filters.year, 12, 31),
        )
    return measured.subquery()


def _indicator_rollup(filters: StatisticsFilters, keys: tuple, joined, group_by: tuple) -> list:
    """Indicators rolled up by `keys` and unit: how many, their targets and measured values
    summed. `joined` adds the joins the keys need; rows are (*keys, unit, count, target,
    measured), ordered as grouped."""
    measured = _measured(filters)
    statement = (
        select(
            *keys,
            Indicator.unit,
            func.count(Indicator.id),
            func.sum(Indicator.target),
            func.coalesce(func.sum(measured.c.measured), 0),
        )
        .select_from(Indicator)
        .join(Project, Project.id == Indicator.project_id)
        .outerjoin(measured, measured.c.indicator_id == Indicator.id)
    )
    return db.session.execute(
        joined(statement)
        .where(*_in_period(filters))
        .group_by(*group_by, Indicator.unit)
        .order_by(*group_by, Indicator.unit)
    ).all()


def _indicators_by_area(filters: StatisticsFilters) -> list[tuple]:
    area_id = func.coalesce(Indicator.goal_area_id, Project.goal_area_id)
    rows = _indicator_rollup(
        filters,
        (GoalArea.id, GoalArea.name, PlanPeriod.name),
        lambda statement: statement.join(GoalArea, GoalArea.id == area_id).join(
            PlanPeriod, PlanPeriod.id == GoalArea.plan_period_id
        ),
        (PlanPeriod.name, GoalArea.position, GoalArea.name, GoalArea.id),
    )
    labels = _area_labels(rows)
    return [
        (labels[row[0]], row[3], int(row[4]), _decimal(row[5]), _decimal(row[6])) for row in rows
    ]


def _indicators_by_target_group(filters: StatisticsFilters) -> list[tuple]:
    """The same indicators as per goal area, rolled up per target group and unit; those
    without a target group make a row of their own (None), last."""
    rows = _indicator_rollup(
        filters,
        (TargetGroup.name,),
        lambda statement: statement.outerjoin(
            TargetGroup, TargetGroup.id == Indicator.target_group_id
        ),
        (TargetGroup.id.is_(None), TargetGroup.position, TargetGroup.name, TargetGroup.id),
    )
    return [
        (name, unit, int(count), _decimal(target), _decimal(value))
        for name, unit, count, target, value in rows
    ]


def _decimal(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"))
