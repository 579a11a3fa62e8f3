"""What the history of a project shows, how a deleted row is remembered in it, and who
follows the project."""

from __future__ import annotations

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.core import audit, audit_text
from portal.extensions import db
from portal.projects.models import (
    Project,
    project_followers,
)
from portal.projects.progress import history_text  # noqa: F401  (registers the wording)


def history_of(project: Project, limit: int = 500) -> list[audit_text.Readable]:
    """The newest entries in words; the names they mention are loaded a kind of row at a time,
    so the page runs the same number of statements for 5 entries as for 500."""
    return audit_text.describe(
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
