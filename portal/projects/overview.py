"""The overview tab of a project as plain values, built in two statements and kept in the read
cache while no data has changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup
from sqlalchemy import literal, select, union_all
from sqlalchemy.orm import aliased, selectinload

from portal.accounts.models import User
from portal.core.markdown import markdown_html
from portal.core.read_cache import cached
from portal.extensions import db
from portal.projects.models import (
    GoalArea,
    PlanPeriod,
    Project,
    ProjectParticipant,
    TargetGroup,
    project_secondary_goal_areas,
    project_target_groups,
    project_team,
)


@dataclass(frozen=True)
class ProjectOverview:
    """What the overview tab shows, as plain values: cacheable, and no lazy loads possible."""

    slug: str
    title: str
    summary: str
    description_html: Markup
    status: str
    health: str
    health_reason: str
    starts_on: date | None
    ends_on: date | None
    goal_area_id: int
    goal_area: str
    plan_period: str
    lead_id: int | None
    lead: str | None
    secondary_goal_areas: list  # rows: id, name
    target_groups: list  # rows: id, name
    team: list  # rows: id, name (`can_edit` reads the ids)


def project_for_overview(slug: str) -> ProjectOverview | None:
    """The overview, from the read cache while no data has changed."""
    return cached("project-overview", slug, build=lambda: _project_overview(slug))


def _project_overview(slug: str) -> ProjectOverview | None:
    lead = aliased(User)
    row = db.session.execute(
        select(
            Project.id,
            Project.slug,
            Project.title,
            Project.summary,
            Project.description,
            Project.status,
            Project.health,
            Project.health_reason,
            Project.starts_on,
            Project.ends_on,
            Project.goal_area_id,
            GoalArea.name.label("goal_area"),
            PlanPeriod.name.label("plan_period"),
            Project.lead_id,
            lead.name.label("lead"),
        )
        .join(GoalArea, GoalArea.id == Project.goal_area_id)
        .join(PlanPeriod, PlanPeriod.id == GoalArea.plan_period_id)
        .outerjoin(lead, lead.id == Project.lead_id)
        .where(Project.slug == slug)
    ).one_or_none()
    if row is None:
        return None
    named = _named_links(row.id)
    return ProjectOverview(
        slug=row.slug,
        title=row.title,
        summary=row.summary,
        description_html=markdown_html(row.description, top_heading=4),
        status=row.status,
        health=row.health,
        health_reason=row.health_reason,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        goal_area_id=row.goal_area_id,
        goal_area=row.goal_area,
        plan_period=row.plan_period,
        lead_id=row.lead_id,
        lead=row.lead,
        secondary_goal_areas=named["goal_area"],
        target_groups=named["target_group"],
        team=named["team"],
    )


def _named_links(project_id: int) -> dict[str, list]:
    """The project's secondary goal areas, target groups and team, in one statement."""
    areas = (
        select(literal("goal_area").label("kind"), GoalArea.id, GoalArea.name, GoalArea.position)
        .join(project_secondary_goal_areas)
        .where(project_secondary_goal_areas.c.project_id == project_id)
    )
    groups = (
        select(
            literal("target_group").label("kind"),
            TargetGroup.id,
            TargetGroup.name,
            TargetGroup.position,
        )
        .join(project_target_groups)
        .where(project_target_groups.c.project_id == project_id)
    )
    team = (
        select(literal("team").label("kind"), User.id, User.name, literal(0).label("position"))
        .join(project_team)
        .where(project_team.c.project_id == project_id)
    )
    links = union_all(areas, groups, team).subquery()
    named: dict[str, list] = {"goal_area": [], "target_group": [], "team": []}
    for row in db.session.execute(
        select(links.c.kind, links.c.id, links.c.name).order_by(
            links.c.kind, links.c.position, links.c.name, links.c.id
        )
    ):
        named[row.kind].append(row)
    return named


def project_with_participants(slug: str) -> Project | None:
    return db.session.scalar(
        select(Project)
        .where(Project.slug == slug)
        .options(selectinload(Project.participants).joinedload(ProjectParticipant.organisation))
    )
