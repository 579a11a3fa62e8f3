"""Daily and weekly digests: one email per person with everything that waits for it.

Beat runs `send_digests("daily")` at DIGEST_HOUR Swedish time and `send_digests("weekly")` at
the same hour on DIGEST_WEEKDAY. A person's entries are deleted in the transaction that queues
their digest, so a second run (or two workers at once) finds nothing and sends nothing twice;
a person with nothing new gets no email.
"""

import logging
from typing import cast

from sqlalchemy import CursorResult, delete, select

from portal.accounts.models import User
from portal.core.i18n import _l
from portal.extensions import db
from portal.notifications import outbox, preferences
from portal.notifications.models import DigestEntry

log = logging.getLogger(__name__)

SUBJECTS = {
    "daily": _l("Din dagliga sammanfattning från portalen"),
    "weekly": _l("Din veckosammanfattning från portalen"),
}


def send_digests(frequency: str) -> int:
    """Queue the digest of everyone with entries waiting for `frequency`; returns how many."""
    if frequency not in preferences.DIGEST_FREQUENCIES:
        raise ValueError(f"unknown digest frequency {frequency!r}")
    user_ids = list(
        db.session.scalars(
            select(DigestEntry.user_id)
            .where(DigestEntry.frequency == frequency)
            .distinct()
            .order_by(DigestEntry.user_id)
        )
    )
    db.session.rollback()
    queued: list[int] = []
    for user_id in user_ids:
        try:
            email_id = send_digest(user_id, frequency)
        except Exception:  # one broken address must not hold up everyone else's digest
            log.exception("Digest for user %s could not be queued", user_id)
            db.session.rollback()
            continue
        if email_id is not None:
            queued.append(email_id)
    outbox.send_in_batches(queued)
    log.info("%s digests queued: %s", frequency, len(queued))
    return len(queued)


def send_digest(user_id: int, frequency: str) -> int | None:
    """One person's digest and the deletion of its entries, in one transaction; returns the
    email's id, or None when there was nothing (left) to send."""
    query = (
        select(DigestEntry)
        .where(DigestEntry.user_id == user_id, DigestEntry.frequency == frequency)
        .order_by(DigestEntry.created_at, DigestEntry.id)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    entries = list(db.session.scalars(query))
    if not entries:
        db.session.rollback()
        return None
    taken = cast(
        CursorResult,
        db.session.execute(
            delete(DigestEntry)
            .where(DigestEntry.id.in_([entry.id for entry in entries]))
            .execution_options(synchronize_session=False)
        ),
    )
    if taken.rowcount != len(entries):  # another run took them first
        db.session.rollback()
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.is_active:
        db.session.commit()  # nobody to tell: the entries go
        return None
    kinds = [kind for kind in preferences.KINDS if any(e.kind == kind for e in entries)]
    sections = [
        {
            "kind": kind,
            "label": preferences.KINDS[kind],
            "entries": [entry for entry in entries if entry.kind == kind],
            "unsubscribe_url": preferences.unsubscribe_url(user.id, [kind]),
        }
        for kind in kinds
    ]
    every_kind = preferences.unsubscribe_url(user.id, kinds)
    email = outbox.queue_email(
        user.email,
        "digest",
        SUBJECTS[frequency],
        language=user.language,
        list_unsubscribe=every_kind,
        recipient=user,
        frequency=frequency,
        sections=sections,
        unsubscribe_url=every_kind,
        unsubscribe_labels=[preferences.KINDS[kind] for kind in kinds],
    )
    db.session.info.pop(outbox.PENDING_KEY, None)  # sent in batches by send_digests
    db.session.commit()
    return email.id
