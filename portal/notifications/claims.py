"""Claims: which outbox rows are due, and taking them for one worker.

A worker claims rows (`FOR UPDATE SKIP LOCKED` on PostgreSQL, a conditional UPDATE on SQLite)
under a token, its lease, which it renews while it sends them (portal/notifications/records.py).
A claim older than OUTBOX_CLAIM_TIMEOUT_SECONDS is stale: the worker holding it died or hung, and
the beat sweep takes the row again, until its attempts are used up.
"""

import secrets
from datetime import timedelta
from typing import cast

from flask import current_app
from sqlalchemy import CursorResult, Integer, Table, and_, any_, bindparam, or_, select, update
from sqlalchemy.dialects.postgresql import ARRAY

from portal.core.dates import utcnow
from portal.extensions import db
from portal.notifications.models import OutboundEmail


def stale_claim(now):
    """A claim older than the timeout: the worker holding it has died or hung."""
    stale = now - timedelta(seconds=current_app.config["OUTBOX_CLAIM_TIMEOUT_SECONDS"])
    return and_(OutboundEmail.status == "sending", OutboundEmail.claimed_at < stale)


def claimable(now):
    """Due and queued, or stale and still within the attempt cap.

    The cap matters for stale claims too: an email whose sending kills the worker every time
    would otherwise be taken up again forever.
    """
    return or_(
        and_(OutboundEmail.status == "queued", OutboundEmail.next_attempt_at <= now),
        and_(
            stale_claim(now),
            OutboundEmail.attempts < current_app.config["OUTBOX_MAX_ATTEMPTS"],
        ),
    )


def claim(email_id: int) -> OutboundEmail | None:
    """Take the row for this worker, or None if it is not due or another worker has it."""
    if not claim_many([email_id]):
        return None
    return db.session.get(OutboundEmail, email_id, populate_existing=True)


def claim_many(email_ids: list[int]) -> list[int]:
    """Take those of the rows that are due and free, in one committed statement; returns their
    ids. On PostgreSQL rows another worker is claiming are skipped, not waited for."""
    return [row.id for row in claim_rows(email_ids, ("id",))]


# What sending a claimed row reads: its columns, returned by the claim itself.
OUTGOING_COLUMNS = (
    "id",
    "recipient",
    "subject",
    "text_body",
    "html_body",
    "reply_to",
    "list_unsubscribe",
    "message_id",
    "attempts",
    "next_attempt_at",
    "created_at",
)


def on_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def one_of(column, ids: list[int]):
    """`column IN (ids)`; on PostgreSQL `= ANY(array)`, one parameter instead of hundreds that
    SQLAlchemy renders and psycopg parses anew for every batch."""
    if on_postgresql():
        return column == any_(bindparam(None, list(ids), type_=ARRAY(Integer)))
    return column.in_(ids)


def claim_rows(email_ids: list[int], columns=OUTGOING_COLUMNS, token: str | None = None) -> list:
    """`claim_many`, returning the claimed rows' `columns` (after the claim: `attempts`
    counts this one) from the same UPDATE, ordered by id. A Core statement: the ORM's
    UPDATE costs more than the claim itself. `token` names the claim (the lease)."""
    # __table__ is typed as any FromClause by SQLAlchemy
    table, now = cast(Table, OutboundEmail.__table__), utcnow()
    free = select(table.c.id).where(one_of(table.c.id, email_ids), claimable(now))
    if on_postgresql():
        free = free.with_for_update(skip_locked=True)
    claimed = db.session.execute(
        update(table)
        .where(table.c.id.in_(free.scalar_subquery()))
        .values(
            status="sending",
            claimed_at=now,
            claim_token=token or secrets.token_hex(8),
            attempts=table.c.attempts + 1,
        )
        .returning(*(table.c[name] for name in columns))
    ).all()
    db.session.commit()
    return sorted(claimed, key=lambda row: row.id)


def fail_abandoned() -> int:
    """Mark failed the stale claims that have used up their attempts; returns how many."""
    # An UPDATE gives a CursorResult, which has the rowcount; execute() is typed as any Result.
    result = cast(
        CursorResult,
        db.session.execute(
            update(OutboundEmail)
            .where(
                stale_claim(utcnow()),
                OutboundEmail.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"],
            )
            .values(
                status="failed",
                claimed_at=None,
                claim_token=None,
                last_error="abandoned: the worker stopped while sending, attempts used up",
            )
            .execution_options(synchronize_session=False)
        ),
    )
    db.session.commit()
    return result.rowcount


def due_email_ids(limit: int = 1000) -> list[int]:
    return list(
        db.session.scalars(
            select(OutboundEmail.id)
            .where(claimable(utcnow()))
            .order_by(OutboundEmail.next_attempt_at)
            .limit(limit)
        )
    )
