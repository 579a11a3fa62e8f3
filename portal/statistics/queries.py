"""The statistics page's read model: every figure summed or counted by the database.

How money is attributed:
- Money is the grants' amounts (external funding); own contributions are not counted.
- A grant belongs to its project's (primary) goal area, and to the year it was decided
  (`decided_on`), else the year its grant period starts, else the year its project starts;
  a grant with none of these dates is counted under "unknown year" (and left out when a
  year is chosen).
- Per municipality: a project's grants are shared equally among its participating
  organisations that have a municipality (two libraries in Kramfors and one in Timrå:
  Kramfors gets two thirds, Timrå one third). Projects without such a participant are left
  out of that table, so it can add up to less than the other tables.
- Project counts (per target group, per status) count projects of the chosen plan period that
  run in the chosen year. Indicators belong to their own goal area, else to their project's;
  their measured values are summed over the chosen year (all years when none is chosen), and
  rolled up per goal area and unit (families are not added to visits).

A fixed number of statements builds the page, whatever the number of projects (8, each an
aggregate); the result is plain values, saved by portal/statistics/snapshots.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Float, cast, func, select, text

from portal.accounts.models import Organisation
from portal.core.forms import int_or_none
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
    projects_by_status: list  # (status key, count)
    indicators_by_area: list  # (goal area, unit, indicators, target, measured)


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
        projects_by_target_group=_projects_by_target_group(filters),
        projects_by_status=_projects_by_status(filters),
        indicators_by_area=_indicators_by_area(filters),
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
    """Each project's grants shared equally among its participants that have a municipality:
    every such participant row carries the number of them in its project (a window count), so
    the grants and the participants are joined once."""
    located = (
        select(
            ProjectParticipant.project_id,
            Organisation.municipality_name,
            func.count().over(partition_by=ProjectParticipant.project_id).label("participants"),
        )
        .join(Organisation, Organisation.id == ProjectParticipant.organisation_id)
        .where(Organisation.municipality_name.is_not(None))
        .subquery()
    )
    money = (
        select(Grant.project_id, func.sum(Grant.amount_ore).label("amount"))
        .join(Project, Project.id == Grant.project_id)
        .where(*_grant_conditions(filters))
        .group_by(Grant.project_id)
        .subquery()
    )
    amount = func.sum(cast(money.c.amount, Float) / located.c.participants)
    rows = db.session.execute(
        select(located.c.municipality_name, amount)
        .select_from(money)
        .join(located, located.c.project_id == money.c.project_id)
        .group_by(located.c.municipality_name)
        .order_by(amount.desc(), located.c.municipality_name)
    )
    return [(name, int(round(total))) for name, total in rows]


def _projects_by_target_group(filters: StatisticsFilters) -> list[tuple]:
    rows = db.session.execute(
        select(TargetGroup.name, func.count(func.distinct(Project.id)))
        .select_from(project_target_groups)
        .join(TargetGroup, TargetGroup.id == project_target_groups.c.target_group_id)
        .join(Project, Project.id == project_target_groups.c.project_id)
        .where(*_running(filters))
        .group_by(TargetGroup.id, TargetGroup.name, TargetGroup.position)
        .order_by(TargetGroup.position, TargetGroup.name)
    )
    return [(name, int(count)) for name, count in rows]


def _projects_by_status(filters: StatisticsFilters) -> list[tuple]:
    counts = dict(
        db.session.execute(
            select(Project.status, func.count(Project.id))
            .where(*_running(filters))
            .group_by(Project.status)
        ).all()
    )
    return [(status, int(counts[status])) for status in PROJECT_STATUSES if counts.get(status)]


def _indicators_by_area(filters: StatisticsFilters) -> list[tuple]:
    measured = select(
        Measurement.indicator_id, func.sum(Measurement.value).label("measured")
    ).group_by(Measurement.indicator_id)
    if filters.year is not None:
        measured = measured.where(
            Measurement.measured_on >= date(filters.year, 1, 1),
            Measurement.measured_on <= date(filters.year, 12, 31),
        )
    measured = measured.subquery()
    area_id = func.coalesce(Indicator.goal_area_id, Project.goal_area_id)
    rows = db.session.execute(
        select(
            GoalArea.id,
            GoalArea.name,
            PlanPeriod.name,
            Indicator.unit,
            func.count(Indicator.id),
            func.sum(Indicator.target),
            func.coalesce(func.sum(measured.c.measured), 0),
        )
        .select_from(Indicator)
        .join(Project, Project.id == Indicator.project_id)
        .join(GoalArea, GoalArea.id == area_id)
        .join(PlanPeriod, PlanPeriod.id == GoalArea.plan_period_id)
        .outerjoin(measured, measured.c.indicator_id == Indicator.id)
        .where(*_in_period(filters))
        .group_by(GoalArea.id, GoalArea.name, PlanPeriod.name, GoalArea.position, Indicator.unit)
        .order_by(PlanPeriod.name, GoalArea.position, GoalArea.name, Indicator.unit)
    ).all()
    labels = _area_labels(rows)
    return [
        (
            labels[row[0]],
            row[3],
            int(row[4]),
            _decimal(row[5]),
            _decimal(row[6]),
        )
        for row in rows
    ]


def _decimal(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"))
