"""What the history of a project shows, how a deleted row is remembered in it, and who
follows the project."""

from __future__ import annotations

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.core import audit
from portal.core.i18n import _l
from portal.extensions import db
from portal.projects.models import (
    Project,
    project_followers,
)

AUDIT_ENTITIES = {
    "project": _l("Projekt"),
    "participant": _l("Deltagare"),
    "grant": _l("Bidrag"),
    "contribution": _l("Egen insats"),
    "budget_line": _l("Budgetrad"),
    "expense": _l("Utgift"),
    "milestone": _l("Milstolpe"),
    "indicator": _l("Indikator"),
    "measurement": _l("Mätning"),
}
AUDIT_ACTIONS = {"create": _l("skapad"), "update": _l("ändrad"), "delete": _l("borttagen")}


def history_of(project: Project, limit: int = 500) -> list[audit.AuditEntry]:
    return list(
        db.session.scalars(
            select(audit.AuditEntry)
            .where(audit.AuditEntry.project_id == project.id)
            .options(selectinload(audit.AuditEntry.actor))
            .order_by(audit.AuditEntry.at.desc(), audit.AuditEntry.id.desc())
            .limit(limit)
        )
    )


def is_following(project: Project, user: User) -> bool:
    return (
        db.session.scalar(
            select(func.count()).where(
                project_followers.c.project_id == project.id,
                project_followers.c.user_id == user.id,
            )
        )
        > 0
    )


def follow(user: User, project: Project) -> None:
    """Written to the link table alone, so following never clashes with someone editing."""
    if not is_following(project, user):
        db.session.execute(insert(project_followers).values(project_id=project.id, user_id=user.id))


def unfollow(user: User, project: Project) -> None:
    db.session.execute(
        delete(project_followers).where(
            project_followers.c.project_id == project.id,
            project_followers.c.user_id == user.id,
        )
    )


def record_deleted(actor: User, project: Project, entity: str, row, fields: list[str]) -> None:
    before = audit.snapshot(row, fields)
    audit.record(
        actor,
        project.id,
        "delete",
        entity,
        row.id,
        audit.changes_between(before, dict.fromkeys(fields)),
    )
