"""The dashboard after login: my projects, deadlines ahead, latest updates, the plan's goal areas.

"My projects" are those I lead, am in the team of, or that my organisation takes part in. The
page is built from a fixed number of SQL statements whatever the number of projects.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func, literal, or_, select, union_all

from portal.accounts.models import User
from portal.extensions import db
from portal.projects.models import (
    GoalArea,
    Grant,
    Milestone,
    PlanPeriod,
    ProgressUpdate,
    Project,
    ProjectParticipant,
    ReportDeadline,
    project_team,
)

DEADLINE_DAYS = 30
MY_PROJECTS_LIMIT = 50
DEADLINES_LIMIT = 30
UPDATES_LIMIT = 10


@dataclass
class Dashboard:
    projects: list  # rows: id, slug, title, status, health, goal_area
    deadlines: list  # rows: kind, title, due_on, slug, project_title
    updates: list  # rows: id, reported_on, text, health, slug, project_title, author
    plan_period: str | None
    goal_areas: list  # rows: id, name, project_count, on_track, at_risk, off_track


def my_project_ids(user: User):
    """A subquery of the ids of the user's projects (lead, team or participating organisation)."""
    conditions = [
        Project.lead_id == user.id,
        Project.id.in_(select(project_team.c.project_id).where(project_team.c.user_id == user.id)),
    ]
    if user.organisation_id is not None:
        conditions.append(
            Project.id.in_(
                select(ProjectParticipant.project_id).where(
                    ProjectParticipant.organisation_id == user.organisation_id
                )
            )
        )
    return select(Project.id).where(or_(*conditions))


def projects_for_dashboard(user: User, today: date | None = None) -> Dashboard:
    today = today or date.today()
    mine = my_project_ids(user)
    return Dashboard(
        projects=_my_projects(mine),
        deadlines=_deadlines(mine, today, today + timedelta(days=DEADLINE_DAYS)),
        updates=_latest_updates(mine),
        **_goal_areas_of_current_period(),
    )


def _my_projects(mine) -> list:
    finished_last = case((Project.status.in_(("finished", "final_report_submitted")), 1), else_=0)
    return db.session.execute(
        select(
            Project.id,
            Project.slug,
            Project.title,
            Project.status,
            Project.health,
            GoalArea.name.label("goal_area"),
        )
        .join(GoalArea, Project.goal_area_id == GoalArea.id)
        .where(Project.id.in_(mine))
        .order_by(finished_last, Project.title)
        .limit(MY_PROJECTS_LIMIT)
    ).all()


def _deadlines(mine, first: date, last: date) -> list:
    """Milestones not done and grant report deadlines not submitted, soonest first."""
    milestones = (
        select(
            literal("milestone").label("kind"),
            Milestone.title.label("title"),
            Milestone.due_on.label("due_on"),
            Project.slug.label("slug"),
            Project.title.label("project_title"),
        )
        .join(Project, Milestone.project_id == Project.id)
        .where(
            Milestone.project_id.in_(mine),
            Milestone.done_on.is_(None),
            Milestone.due_on.between(first, last),
        )
    )
    reports = (
        select(
            ReportDeadline.kind.label("kind"),
            Grant.case_number.label("title"),
            ReportDeadline.due_on.label("due_on"),
            Project.slug.label("slug"),
            Project.title.label("project_title"),
        )
        .join(Grant, ReportDeadline.grant_id == Grant.id)
        .join(Project, Grant.project_id == Project.id)
        .where(
            Grant.project_id.in_(mine),
            ReportDeadline.submitted_on.is_(None),
            ReportDeadline.due_on.between(first, last),
        )
    )
    both = union_all(milestones, reports).subquery()
    return db.session.execute(
        select(both).order_by(both.c.due_on, both.c.project_title).limit(DEADLINES_LIMIT)
    ).all()


def _latest_updates(mine) -> list:
    return db.session.execute(
        select(
            ProgressUpdate.id,
            ProgressUpdate.reported_on,
            ProgressUpdate.text,
            ProgressUpdate.health,
            Project.slug,
            Project.title.label("project_title"),
            User.name.label("author"),
        )
        .join(Project, ProgressUpdate.project_id == Project.id)
        .join(User, ProgressUpdate.author_id == User.id)
        .where(ProgressUpdate.project_id.in_(mine))
        .order_by(ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc())
        .limit(UPDATES_LIMIT)
    ).all()


def _goal_areas_of_current_period() -> dict:
    """One row per goal area of the current plan period: projects in it and their health."""

    def health(value):
        return func.sum(case((Project.health == value, 1), else_=0))

    rows = db.session.execute(
        select(
            PlanPeriod.name.label("plan_period"),
            GoalArea.id,
            GoalArea.name,
            func.count(Project.id).label("project_count"),
            health("on_track").label("on_track"),
            health("at_risk").label("at_risk"),
            health("off_track").label("off_track"),
        )
        .join(PlanPeriod, GoalArea.plan_period_id == PlanPeriod.id)
        .outerjoin(Project, Project.goal_area_id == GoalArea.id)
        .where(PlanPeriod.is_current.is_(True), GoalArea.is_retired.is_(False))
        .group_by(PlanPeriod.name, GoalArea.id, GoalArea.name, GoalArea.position)
        .order_by(GoalArea.position, GoalArea.name)
    ).all()
    return {"plan_period": rows[0].plan_period if rows else None, "goal_areas": rows}
