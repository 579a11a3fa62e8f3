"""The dashboard after login: my projects, deadlines ahead, latest updates, the plan's goal areas.

"My projects" are those I lead, am in the team of, or that my organisation takes part in. The
page is built from a fixed number of SQL statements whatever the number of projects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    bindparam,
    exists,
    func,
    literal,
    or_,
    select,
    union,
    union_all,
)
from sqlalchemy.orm import aliased

from portal.accounts.models import User
from portal.core.read_cache import cached
from portal.extensions import db
from portal.projects.facet_counts import NONE
from portal.projects.models import (
    GoalArea,
    Grant,
    Milestone,
    PlanPeriod,
    ProgressUpdate,
    Project,
    ProjectParticipant,
    ReportDeadline,
    project_facet_counts,
    project_team,
)

DEADLINE_DAYS = 30
MY_PROJECTS_LIMIT = 50
DEADLINES_LIMIT = 30
UPDATES_LIMIT = 10
FINISHED = ("finished", "final_report_submitted")


@dataclass
class Dashboard:
    projects: list  # rows: id, slug, title, status, health, goal_area
    deadlines: list  # rows: kind, title, due_on, slug, project_title
    updates: list  # rows: id, reported_on, text, health, slug, project_title, author
    plan_period: str | None
    goal_areas: list  # rows: id, name, project_count, on_track, at_risk, off_track


# The project a row's project id is tested against, apart from the row's own project (made once:
# an alias costs some milliseconds to build).
_LED = aliased(Project)


def is_mine(user: User, project_id) -> ColumnElement[bool]:
    """Whether the project `project_id` refers to is the user's: they lead it, are in its team
    or their organisation takes part. One EXISTS per way of belonging, so the database can read
    rows in the order shown (the soonest deadline) and stop after a page, testing each row
    against small indexes. For the newest rows of a person's projects, see `first_of_mine`."""
    conditions = [
        exists().where(_LED.id == project_id, _LED.lead_id == user.id),
        exists().where(project_team.c.project_id == project_id, project_team.c.user_id == user.id),
    ]
    if user.organisation_id is not None:
        conditions.append(
            exists().where(
                ProjectParticipant.project_id == project_id,
                ProjectParticipant.organisation_id == user.organisation_id,
            )
        )
    return or_(*conditions)


def projects_for_dashboard(
    user: User, today: date | None = None, belonging: Belonging | None = None
) -> Dashboard:
    """The goal-area rows are the same for everyone: they come from the read cache.
    `belonging` is `belonging_of(user)` if the caller has read it already."""
    today = today or date.today()
    belonging = belonging_of(user) if belonging is None else belonging
    return Dashboard(
        projects=_my_projects(belonging),
        deadlines=_deadlines(user, today, today + timedelta(days=DEADLINE_DAYS)),
        updates=_latest_updates(belonging),
        **cached("dashboard-goal-areas", build=_goal_areas_of_current_period),
    )


def _my_projects(belonging: Belonging) -> list:
    return db.session.execute(_my_projects_statement(belonging.shape), belonging.params).all()


@lru_cache(maxsize=8)
def _my_projects_statement(shape: tuple[bool, bool]) -> Select:
    """Running and planned projects by title, then finished ones: each part read in title
    order and cut at the limit, so a library in thousands of projects costs no more."""

    def part(finished: bool) -> Select:
        in_part = Project.status.in_(FINISHED)
        return (
            select(
                literal(int(finished)).label("finished"),
                Project.id,
                Project.slug,
                Project.title,
                Project.status,
                Project.health,
                GoalArea.name.label("goal_area"),
            )
            .join(GoalArea, Project.goal_area_id == GoalArea.id)
            .where(in_part if finished else ~in_part)
        )

    order = [("finished", False), ("title", False), ("id", False)]
    return first_of_mine(
        bound_ways(shape), [part(False), part(True)], Project.id, order, MY_PROJECTS_LIMIT
    )


@dataclass(frozen=True)
class Belonging:
    """How a person belongs to projects, read once per page: the ids of those they lead or
    are in the team of (a person has a few, and a list of ids is planned for what it is, where
    the planner would guess a lead's share of all projects), and their organisation, whose
    projects are asked of the database (which knows their number per organisation)."""

    personal: tuple[int, ...]
    organisation_id: int | None

    @property
    def shape(self) -> tuple[bool, bool]:
        """What the statements built once (`bound_ways`) are built for."""
        return bool(self.personal), self.organisation_id is not None

    @property
    def params(self) -> dict:
        return {"personal_ids": list(self.personal), "organisation_id": self.organisation_id}


def belonging_of(user: User) -> Belonging:
    personal = db.session.scalars(
        union(
            select(Project.id).where(Project.lead_id == user.id),
            select(project_team.c.project_id).where(project_team.c.user_id == user.id),
        )
    )
    return Belonging(tuple(sorted(personal)), user.organisation_id)


def bound_ways(shape: tuple[bool, bool]) -> list:
    """What `project_id.in_(way)` is asked with, one per way of belonging, as bound parameters
    (`Belonging.params`): the statements are built once per shape and run with each person's
    values, since building them costs more than running them."""
    has_personal, has_organisation = shape
    ways: list = []
    if has_personal:
        ways.append(bindparam("personal_ids", expanding=True))
    if has_organisation:
        ways.append(
            select(ProjectParticipant.project_id).where(
                ProjectParticipant.organisation_id == bindparam("organisation_id", type_=Integer)
            )
        )
    return ways


def first_of_mine(
    ways: list, queries: list[Select], project_id, order: list[tuple[str, bool]], limit: int
) -> Select:
    """The first `limit` rows, in `order`, of `queries` limited to a person's projects
    (`ways`: their `bound_ways`; `project_id` is the queries' project column): each query
    asked once per way of belonging.

    Asked as one condition (`is_mine`, three EXISTS joined by OR), PostgreSQL hashed all of a
    library's projects (28 000 at 100 000 projects, 10 ms) before every such query; asked
    apart, each part is planned for what it is (see `first_rows`)."""
    ways = ways or [[]]  # belonging nowhere: one part that finds nothing
    parts = [query.where(project_id.in_(way)) for query in queries for way in ways]
    return first_rows(parts, order, limit)


def first_rows(parts: list[Select], order: list[tuple[str, bool]], limit: int) -> Select:
    """The first `limit` rows, in `order` ((column label, descending)), of all the parts'
    rows together. Each part is read in that order and cut at the limit by itself, then they
    are merged (UNION drops a row found by two parts), so the database plans each part alone:
    a large library's rows read in order, stopping after a page; a small one's collected and
    sorted."""

    def ordering(columns) -> list:
        return [columns[name].desc() if desc else columns[name].asc() for name, desc in order]

    cut = [
        select(part.order_by(*ordering(part.selected_columns)).limit(limit).subquery())
        for part in parts
    ]
    merged = union(*cut).subquery()
    return select(merged).order_by(*ordering(merged.c)).limit(limit)


def open_deadlines(first: date, last: date, user: User | None = None):
    """Milestones not done and grant report deadlines not submitted, due from `first` to
    `last`; only those of the user's projects when a user is given. A subquery with the
    columns source ("milestone" or "report"), id, kind (a report's kind, or "milestone"),
    title (a milestone's title, a grant's case number), due_on, project_id, slug,
    project_title and responsible_id (a milestone's responsible, else the project's lead)."""
    milestone_conditions = [Milestone.done_on.is_(None), Milestone.due_on.between(first, last)]
    report_conditions = [
        ReportDeadline.submitted_on.is_(None),
        ReportDeadline.due_on.between(first, last),
    ]
    if user is not None:
        milestone_conditions.append(is_mine(user, Milestone.project_id))
        report_conditions.append(is_mine(user, Grant.project_id))
    milestones = (
        select(
            literal("milestone").label("source"),
            Milestone.id.label("id"),
            literal("milestone").label("kind"),
            Milestone.title.label("title"),
            Milestone.due_on.label("due_on"),
            Project.id.label("project_id"),
            Project.slug.label("slug"),
            Project.title.label("project_title"),
            func.coalesce(Milestone.responsible_id, Project.lead_id).label("responsible_id"),
        )
        .join(Project, Milestone.project_id == Project.id)
        .where(*milestone_conditions)
    )
    reports = (
        select(
            literal("report").label("source"),
            ReportDeadline.id.label("id"),
            ReportDeadline.kind.label("kind"),
            Grant.case_number.label("title"),
            ReportDeadline.due_on.label("due_on"),
            Project.id.label("project_id"),
            Project.slug.label("slug"),
            Project.title.label("project_title"),
            Project.lead_id.label("responsible_id"),
        )
        .join(Grant, ReportDeadline.grant_id == Grant.id)
        .join(Project, Grant.project_id == Project.id)
        .where(*report_conditions)
    )
    return union_all(milestones, reports).subquery()


def _deadlines(user: User, first: date, last: date) -> list:
    """The user's open deadlines, soonest first."""
    both = open_deadlines(first, last, user)
    return db.session.execute(
        select(both).order_by(both.c.due_on, both.c.project_title).limit(DEADLINES_LIMIT)
    ).all()


def _latest_updates(belonging: Belonging) -> list:
    return db.session.execute(_latest_updates_statement(belonging.shape), belonging.params).all()


@lru_cache(maxsize=8)
def _latest_updates_statement(shape: tuple[bool, bool]) -> Select:
    updates = (
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
    )
    order = [("reported_on", True), ("id", True)]
    return first_of_mine(
        bound_ways(shape), [updates], ProgressUpdate.project_id, order, UPDATES_LIMIT
    )


def _goal_areas_of_current_period() -> dict:
    """One row per goal area of the current plan period: projects in it and their health,
    added up from the project list's kept counts (portal/projects/facet_counts.py): a few
    rows per goal area, whatever the number of projects."""
    kept = project_facet_counts.c

    def counted(health: str | None = None):
        conditions = [
            kept.goal_area_id == GoalArea.id,
            kept.dimension == NONE,
            kept.by_dimension == NONE,
        ]
        if health is not None:
            conditions.append(kept.health == health)
        return (
            select(func.coalesce(func.sum(kept.projects), 0)).where(*conditions).scalar_subquery()
        )

    rows = db.session.execute(
        select(
            PlanPeriod.name.label("plan_period"),
            GoalArea.id,
            GoalArea.name,
            counted().label("project_count"),
            counted("on_track").label("on_track"),
            counted("at_risk").label("at_risk"),
            counted("off_track").label("off_track"),
        )
        .join(PlanPeriod, GoalArea.plan_period_id == PlanPeriod.id)
        .where(PlanPeriod.is_current.is_(True), GoalArea.is_retired.is_(False))
        .order_by(GoalArea.position, GoalArea.name)
    ).all()
    return {"plan_period": rows[0].plan_period if rows else None, "goal_areas": rows}
