"""The audit log: who created, changed or deleted what, and which fields went from old to new."""

import logging
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.dates import UTCDateTime, utcnow
from portal.extensions import Model, db

log = logging.getLogger(__name__)


class AuditEntry(Model):
    """Who changed what: one row per create, update or delete, with the fields old → new.

    Projects, accounts and documents all write it, so it lives here; the actor is named by
    its table ("User") because core imports no feature.
    """

    __tablename__ = "audit_entries"
    read_cache_ignored = True
    # The project history reads one project's entries by time; /admin/logg reads all of them
    # newest first, or one person's.
    __table_args__ = (
        Index("ix_audit_entries_project_at", "project_id", "at"),
        Index("ix_audit_entries_at_id", "at", "id"),
        Index("ix_audit_entries_actor_at", "actor_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    action: Mapped[str] = mapped_column(String(16))
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[int | None]
    changes: Mapped[dict] = mapped_column(db.JSON, default=dict)

    actor = relationship("User")
    project = relationship("Project", viewonly=True)


def snapshot(obj, fields: list[str]) -> dict:
    return {field: _plain(getattr(obj, field)) for field in fields}


def changes_between(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields that differ."""
    return {
        field: [before.get(field), value]
        for field, value in after.items()
        if before.get(field) != value
    }


def record(actor, project_id: int | None, action: str, entity: str, entity_id, changes: dict):
    """Add an audit row to the current transaction (the view commits it with the change)."""
    if action == "update" and not changes:
        return None
    entry = AuditEntry(
        project_id=project_id,
        actor_id=actor.id if actor else None,
        action=action,
        entity=entity,
        entity_id=entity_id,
        changes=changes,
    )
    db.session.add(entry)
    log.info(
        "%s %s %s by %s: %s", entity, entity_id, action, getattr(actor, "email", None), changes
    )
    return entry


def save_audited(actor, project, row, make_row, entity: str, fields: list[str], values: dict):
    """Create (`row` is None) or update a project's row from `values` and audit the change."""
    is_new = row is None
    before = {} if is_new else snapshot(row, fields)
    if is_new:
        row = make_row()
        db.session.add(row)
    for field, value in values.items():
        setattr(row, field, value)
    db.session.flush()
    after = snapshot(row, fields)
    action = "create" if is_new else "update"
    record(actor, project.id, action, entity, row.id, changes_between(before, after))
    return row


def _plain(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
