"""Plan periods, goal areas, target groups and the externally funded projects under them.

Money is integer öre everywhere (`*_ore` columns); `portal.core.money` formats and parses it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import Organisation, User
from portal.core.dates import UTCDateTime, utcnow
from portal.core.i18n import _l
from portal.extensions import Model, db

PROJECT_STATUSES = {
    "idea": _l("Idé"),
    "planned": _l("Planerat"),
    "running": _l("Pågående"),
    "finished": _l("Avslutat"),
    "final_report_submitted": _l("Slutredovisat"),
}
PROJECT_HEALTH = {
    "on_track": _l("Enligt plan"),
    "at_risk": _l("Risk"),
    "off_track": _l("Avviker"),
}
PARTICIPANT_ROLES = {
    "lead_applicant": _l("Huvudsökande"),
    "co_applicant": _l("Medsökande"),
    "partner": _l("Samarbetspart"),
}
DEADLINE_KINDS = {
    "progress_report": _l("Lägesrapport"),
    "final_report": _l("Slutredovisning"),
}
# A grant's optional progress report drafted automatically after each month or quarter.
REPORT_RECURRENCES = {
    "": _l("Ingen"),
    "monthly": _l("Varje månad"),
    "quarterly": _l("Varje kvartal"),
}
BUDGET_CATEGORIES = {
    "personnel": _l("Personal"),
    "materials": _l("Material"),
    "events": _l("Arrangemang"),
    "travel": _l("Resor"),
    "communication": _l("Kommunikation"),
    "other": _l("Övrigt"),
}
CONTRIBUTION_KINDS = {"cash": _l("Kontant"), "in_kind": _l("Naturainsats")}

project_secondary_goal_areas = Table(
    "project_secondary_goal_areas",
    db.metadata,
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column("goal_area_id", ForeignKey("goal_areas.id"), primary_key=True),
)
project_target_groups = Table(
    "project_target_groups",
    db.metadata,
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column("target_group_id", ForeignKey("target_groups.id"), primary_key=True),
)
project_team = Table(
    "project_team",
    db.metadata,
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True),
    Index("ix_project_team_user_id", "user_id"),
)
project_followers = Table(
    "project_followers",
    db.metadata,
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True),
)

# The project list's filter counts and what each project was last counted by: derived rows,
# kept by portal/projects/facet_counts.py (no foreign keys: a deleted project's stored profile
# is what its counts are taken back by).
project_facet_counts = Table(
    "project_facet_counts",
    db.metadata,
    Column("status", String(32), primary_key=True),
    Column("health", String(16), primary_key=True),
    Column("goal_area_id", Integer, primary_key=True),
    Column("dimension", String(16), primary_key=True),
    Column("value", String(120), primary_key=True),
    Column("by_dimension", String(16), primary_key=True),
    Column("by_value", String(120), primary_key=True),
    Column("projects", Integer, nullable=False),
    Index("ix_project_facet_counts_by", "by_dimension", "by_value"),
)
project_facet_profiles = Table(
    "project_facet_profiles",
    db.metadata,
    Column("project_id", Integer, primary_key=True, autoincrement=False),
    Column("profile", Text, nullable=False),
)


class PlanPeriod(Model):
    __tablename__ = "plan_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    is_current: Mapped[bool] = mapped_column(default=False)

    goal_areas: Mapped[list[GoalArea]] = relationship(
        back_populates="plan_period", order_by="GoalArea.position"
    )


class GoalArea(Model):
    __tablename__ = "goal_areas"
    __table_args__ = (UniqueConstraint("plan_period_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_period_id: Mapped[int] = mapped_column(ForeignKey("plan_periods.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    is_retired: Mapped[bool] = mapped_column(default=False)

    plan_period: Mapped[PlanPeriod] = relationship(back_populates="goal_areas")


class TargetGroup(Model):
    __tablename__ = "target_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    is_retired: Mapped[bool] = mapped_column(default=False)


class Project(Model):
    __tablename__ = "projects"
    # The list's default order and the dashboard's "my projects" read titles in index order.
    # The other two are counted from, without reading the table: the dashboard's projects per
    # goal area and health, and the list's groups by status, health and goal area.
    __table_args__ = (
        Index("ix_projects_title_id", "title", "id"),
        Index("ix_projects_goal_area_health", "goal_area_id", "health"),
        Index("ix_projects_status_health_goal_area", "status", "health", "goal_area_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    goal_area_id: Mapped[int] = mapped_column(ForeignKey("goal_areas.id"), index=True)
    status: Mapped[str] = mapped_column(String(32), default="idea", index=True)
    health: Mapped[str] = mapped_column(String(16), default="on_track", index=True)
    health_reason: Mapped[str] = mapped_column(String(300), default="")
    # Indexed for the statistics' range of years (min and max read a few index entries).
    starts_on: Mapped[date | None] = mapped_column(index=True)
    ends_on: Mapped[date | None] = mapped_column(index=True)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    goal_area: Mapped[GoalArea] = relationship()
    secondary_goal_areas: Mapped[list[GoalArea]] = relationship(
        secondary=project_secondary_goal_areas
    )
    target_groups: Mapped[list[TargetGroup]] = relationship(secondary=project_target_groups)
    lead: Mapped[User | None] = relationship(foreign_keys=[lead_id])
    team: Mapped[list[User]] = relationship(secondary=project_team)
    followers: Mapped[list[User]] = relationship(secondary=project_followers)
    participants: Mapped[list[ProjectParticipant]] = relationship(
        back_populates="project", cascade="all, delete-orphan"
    )
    grants: Mapped[list[Grant]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="Grant.id"
    )
    contributions: Mapped[list[Contribution]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="Contribution.id"
    )
    budget_lines: Mapped[list[BudgetLine]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="BudgetLine.id"
    )
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="Milestone.due_on"
    )
    updates: Mapped[list[ProgressUpdate]] = relationship(
        back_populates="project",
        cascade="all, delete-orphan",
        order_by="ProgressUpdate.reported_on.desc()",
    )
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="Indicator.id"
    )

    __mapper_args__ = {"version_id_col": version}


class ProjectParticipant(Model):
    __tablename__ = "project_participants"
    # "Which projects does this library take part in" is answered from the index alone.
    __table_args__ = (
        UniqueConstraint("project_id", "organisation_id"),
        Index("ix_project_participants_organisation_project", "organisation_id", "project_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    role: Mapped[str] = mapped_column(String(32), default="partner")

    project: Mapped[Project] = relationship(back_populates="participants")
    organisation: Mapped[Organisation] = relationship()


class Grant(Model):
    __tablename__ = "grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    funder_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    case_number: Mapped[str] = mapped_column(String(100), default="")
    amount_ore: Mapped[int]
    decided_on: Mapped[date | None] = mapped_column(index=True)
    period_starts_on: Mapped[date | None]
    period_ends_on: Mapped[date | None]
    conditions: Mapped[str] = mapped_column(Text, default="")
    # "", "monthly" or "quarterly": a progress report drafted automatically for each period.
    report_recurrence: Mapped[str] = mapped_column(String(16), default="")

    project: Mapped[Project] = relationship(back_populates="grants")
    funder: Mapped[Organisation] = relationship()
    deadlines: Mapped[list[ReportDeadline]] = relationship(
        back_populates="grant", cascade="all, delete-orphan", order_by="ReportDeadline.due_on"
    )


class FunderContact(Model):
    """A person at a funder (Kulturrådet's handläggare, say) who receives the project reports."""

    __tablename__ = "funder_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    receives_reports: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship()


class ReportDeadline(Model):
    __tablename__ = "report_deadlines"

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grants.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32), default="progress_report")
    due_on: Mapped[date] = mapped_column(index=True)
    submitted_on: Mapped[date | None]

    grant: Mapped[Grant] = relationship(back_populates="deadlines")


class Contribution(Model):
    """An organisation's own contribution to a project: cash or in kind."""

    __tablename__ = "contributions"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    amount_ore: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16), default="cash")

    project: Mapped[Project] = relationship(back_populates="contributions")
    organisation: Mapped[Organisation] = relationship()


class BudgetLine(Model):
    __tablename__ = "budget_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(String(300), default="")
    planned_ore: Mapped[int]
    grant_id: Mapped[int | None] = mapped_column(ForeignKey("grants.id"), index=True)
    contribution_id: Mapped[int | None] = mapped_column(ForeignKey("contributions.id"))

    project: Mapped[Project] = relationship(back_populates="budget_lines")
    grant: Mapped[Grant | None] = relationship()
    contribution: Mapped[Contribution | None] = relationship()
    expenses: Mapped[list[Expense]] = relationship(
        back_populates="budget_line", cascade="all, delete-orphan", order_by="Expense.spent_on"
    )


class Expense(Model):
    __tablename__ = "expenses"

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_line_id: Mapped[int] = mapped_column(
        ForeignKey("budget_lines.id", ondelete="CASCADE"), index=True
    )
    spent_on: Mapped[date]
    amount_ore: Mapped[int]
    text: Mapped[str] = mapped_column(String(300))

    budget_line: Mapped[BudgetLine] = relationship(back_populates="expenses")


class Milestone(Model):
    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column(index=True)
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    done_on: Mapped[date | None]

    project: Mapped[Project] = relationship(back_populates="milestones")
    responsible: Mapped[User | None] = relationship()


class ProgressUpdate(Model):
    __tablename__ = "progress_updates"
    __table_args__ = (
        Index("ix_progress_updates_project_date", "project_id", "reported_on"),
        # The dashboard's latest updates: newest first across projects, cut at ten.
        Index("ix_progress_updates_reported_on_id", "reported_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reported_on: Mapped[date]
    text: Mapped[str] = mapped_column(Text)
    health: Mapped[str | None] = mapped_column(String(16))
    municipality: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    project: Mapped[Project] = relationship(back_populates="updates")
    author: Mapped[User] = relationship()
    measurements: Mapped[list[Measurement]] = relationship(back_populates="update")


class Indicator(Model):
    __tablename__ = "indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(50))
    target: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    target_group_id: Mapped[int | None] = mapped_column(ForeignKey("target_groups.id"))
    goal_area_id: Mapped[int | None] = mapped_column(ForeignKey("goal_areas.id"))

    project: Mapped[Project] = relationship(back_populates="indicators")
    target_group: Mapped[TargetGroup | None] = relationship()
    goal_area: Mapped[GoalArea | None] = relationship()
    measurements: Mapped[list[Measurement]] = relationship(
        back_populates="indicator", cascade="all, delete-orphan", order_by="Measurement.measured_on"
    )


class Measurement(Model):
    __tablename__ = "measurements"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicators.id", ondelete="CASCADE"), index=True
    )
    update_id: Mapped[int | None] = mapped_column(
        ForeignKey("progress_updates.id", ondelete="SET NULL")
    )
    measured_on: Mapped[date]
    value: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    municipality: Mapped[str | None] = mapped_column(String(100))

    indicator: Mapped[Indicator] = relationship(back_populates="measurements")
    update: Mapped[ProgressUpdate | None] = relationship(back_populates="measurements")
