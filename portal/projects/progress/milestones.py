"""A project's milestones: who is responsible, when they are due and done; every change is
audited."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.core import audit
from portal.core.errors import ValidationError
from portal.core.i18n import _l
from portal.extensions import db
from portal.projects.models import (
    Milestone,
    Project,
    ProjectParticipant,
    project_team,
)
from portal.projects.progress.history import record_deleted

MILESTONE_FIELDS = ["title", "due_on", "responsible_id", "done_on"]


def milestone_of(project: Project, milestone_id: int) -> Milestone | None:
    return db.session.scalar(
        select(Milestone).where(Milestone.id == milestone_id, Milestone.project_id == project.id)
    )


def responsible_choices(project: Project) -> list[tuple[int, str]]:
    """The lead, the team and the people of the participating organisations."""
    team_ids = select(project_team.c.user_id).where(project_team.c.project_id == project.id)
    organisation_ids = select(ProjectParticipant.organisation_id).where(
        ProjectParticipant.project_id == project.id
    )
    users = db.session.scalars(
        select(User)
        .where(
            or_(
                User.id == project.lead_id,
                User.id.in_(team_ids),
                User.organisation_id.in_(organisation_ids),
            )
        )
        .order_by(User.name)
    )
    return [(user.id, user.name) for user in users if user.is_active]


def save_milestone(
    actor: User,
    project: Project,
    milestone: Milestone | None,
    *,
    title: str,
    due_on: date | None,
    responsible_id: int | None,
    done_on: date | None,
) -> Milestone:
    title = (title or "").strip()
    if not title:
        raise ValidationError(_l("Skriv vad milstolpen gäller."), field="title")
    if due_on is None:
        raise ValidationError(_l("Skriv ett datum som 2016-03-15."), field="due_on")
    if responsible_id is not None and responsible_id not in dict(responsible_choices(project)):
        raise ValidationError(
            _l("Välj en person i projektet eller i en deltagande organisation."),
            field="responsible_id",
        )
    values = {
        "title": title,
        "due_on": due_on,
        "responsible_id": responsible_id,
        "done_on": done_on,
    }
    return audit.save_audited(
        actor,
        project,
        milestone,
        lambda: Milestone(project=project),
        "milestone",
        MILESTONE_FIELDS,
        values,
    )


def mark_milestone_done(actor: User, project: Project, milestone: Milestone, today: date) -> None:
    if milestone.done_on is not None:
        return
    before = audit.snapshot(milestone, MILESTONE_FIELDS)
    milestone.done_on = today
    audit.record(
        actor,
        project.id,
        "update",
        "milestone",
        milestone.id,
        audit.changes_between(before, audit.snapshot(milestone, MILESTONE_FIELDS)),
    )


def delete_milestone(actor: User, project: Project, milestone: Milestone) -> None:
    record_deleted(actor, project, "milestone", milestone, MILESTONE_FIELDS)
    db.session.delete(milestone)


def milestones_of(project: Project) -> list[Milestone]:
    return list(
        db.session.scalars(
            select(Milestone)
            .where(Milestone.project_id == project.id)
            .options(selectinload(Milestone.responsible))
            .order_by(Milestone.due_on, Milestone.id)
        )
    )
