"""Read models for the plan overview pages: a goal area's page and the participation matrix.

Each is built from a fixed number of SQL statements (aggregates in the database), however many
projects, grants or measurements there are.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import Integer, case, cast, extract, func, select
from sqlalchemy.orm import joinedload

from portal.accounts.models import Organisation
from portal.core.numbers import format_number, share_of
from portal.extensions import db
from portal.projects.models import (
    PROJECT_HEALTH,
    GoalArea,
    Grant,
    Indicator,
    Measurement,
    Milestone,
    Project,
    ProjectParticipant,
    project_secondary_goal_areas,
)


@dataclass
class GoalAreaPage:
    area: GoalArea
    projects: list  # rows: id, slug, title, status, health, is_primary
    funding: list  # rows: funder, year, amount_ore
    funding_total_ore: int
    indicators: list  # rows: unit, indicator_count, target, actual
    milestones: dict  # total, done, overdue
    health_counts: dict = field(default_factory=dict)

    @property
    def primary_projects(self):
        return [row for row in self.projects if row.is_primary]

    @property
    def secondary_projects(self):
        return [row for row in self.projects if not row.is_primary]


def goal_area_page(area_id: int, today: date | None = None) -> GoalAreaPage | None:
    today = today or date.today()
    area = db.session.scalar(
        select(GoalArea).options(joinedload(GoalArea.plan_period)).where(GoalArea.id == area_id)
    )
    if area is None:
        return None
    secondary_ids = select(project_secondary_goal_areas.c.project_id).where(
        project_secondary_goal_areas.c.goal_area_id == area.id
    )
    projects = db.session.execute(
        select(
            Project.id,
            Project.slug,
            Project.title,
            Project.status,
            Project.health,
            (Project.goal_area_id == area.id).label("is_primary"),
        )
        .where((Project.goal_area_id == area.id) | Project.id.in_(secondary_ids))
        .order_by(Project.title)
    ).all()

    # Money and milestones count under the primary goal area only, so nothing is counted twice.
    year = cast(extract("year", Grant.decided_on), Integer).label("year")
    funding = db.session.execute(
        select(Organisation.name.label("funder"), year, func.sum(Grant.amount_ore).label("amount"))
        .join(Project, Grant.project_id == Project.id)
        .join(Organisation, Grant.funder_id == Organisation.id)
        .where(Project.goal_area_id == area.id)
        .group_by(Organisation.name, year)
        .order_by(Organisation.name, year)
    ).all()

    measured = (
        select(Measurement.indicator_id, func.sum(Measurement.value).label("actual"))
        .group_by(Measurement.indicator_id)
        .subquery()
    )
    in_area = (Indicator.goal_area_id == area.id) | (
        Indicator.goal_area_id.is_(None) & (Project.goal_area_id == area.id)
    )
    indicators = db.session.execute(
        select(
            Indicator.unit,
            func.count(Indicator.id).label("indicator_count"),
            func.sum(Indicator.target).label("target"),
            func.sum(func.coalesce(measured.c.actual, 0)).label("actual"),
        )
        .join(Project, Indicator.project_id == Project.id)
        .outerjoin(measured, measured.c.indicator_id == Indicator.id)
        .where(in_area)
        .group_by(Indicator.unit)
        .order_by(Indicator.unit)
    ).all()

    milestone_row = db.session.execute(
        select(
            func.count(Milestone.id).label("total"),
            func.count(Milestone.done_on).label("done"),
            func.sum(
                case((Milestone.done_on.is_(None) & (Milestone.due_on < today), 1), else_=0)
            ).label("overdue"),
        )
        .join(Project, Milestone.project_id == Project.id)
        .where(Project.goal_area_id == area.id)
    ).one()

    health_counts = {key: 0 for key in PROJECT_HEALTH}
    for row in projects:
        if row.is_primary and row.health in health_counts:
            health_counts[row.health] += 1
    return GoalAreaPage(
        area=area,
        projects=projects,
        funding=funding,
        funding_total_ore=sum(row.amount or 0 for row in funding),
        indicators=[
            _IndicatorSum(row.unit, row.indicator_count, row.target, Decimal(row.actual or 0))
            for row in indicators
        ],
        milestones={
            "total": milestone_row.total or 0,
            "done": milestone_row.done or 0,
            "overdue": milestone_row.overdue or 0,
        },
        health_counts=health_counts,
    )


@dataclass
class _IndicatorSum:
    unit: str
    indicator_count: int
    target: Decimal | None
    actual: Decimal

    @property
    def target_text(self) -> str:
        return "–" if self.target is None else format_number(self.target)

    @property
    def actual_text(self) -> str:
        return format_number(self.actual)

    @property
    def share(self) -> Decimal | None:
        """How much of the target is reached, as a ratio (0.45 is shown "45 %"), from the whole
        per cent `share_of` gives, so this page shows the figure the others show."""
        percent = share_of(self.actual, self.target)
        return None if percent is None else Decimal(percent) / 100


@dataclass
class ParticipationMatrix:
    libraries: list  # Organisation rows: id, name, municipality_name
    projects: list  # rows: id, slug, title
    roles: dict  # (project_id, organisation_id) → role


def participation_matrix() -> ParticipationMatrix:
    """The county's municipal libraries × running projects, in three statements."""
    libraries = db.session.execute(
        select(Organisation.id, Organisation.name, Organisation.municipality_name)
        .where(Organisation.kind == "municipal_library")
        .order_by(Organisation.municipality_name, Organisation.name)
    ).all()
    projects = db.session.execute(
        select(Project.id, Project.slug, Project.title)
        .where(Project.status == "running")
        .order_by(Project.title)
    ).all()
    participations = db.session.execute(
        select(
            ProjectParticipant.project_id,
            ProjectParticipant.organisation_id,
            ProjectParticipant.role,
        )
        .join(Project, ProjectParticipant.project_id == Project.id)
        .join(Organisation, ProjectParticipant.organisation_id == Organisation.id)
        .where(Project.status == "running", Organisation.kind == "municipal_library")
    ).all()
    return ParticipationMatrix(
        libraries=libraries,
        projects=projects,
        roles={(row.project_id, row.organisation_id): row.role for row in participations},
    )
