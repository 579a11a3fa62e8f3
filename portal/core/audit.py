"""The audit log: who created, changed or deleted what, and which fields went from old to new."""

import logging
from datetime import date, datetime
from decimal import Decimal

from portal.extensions import db

log = logging.getLogger(__name__)


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
    from portal.projects.models import AuditEntry

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


def _plain(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
