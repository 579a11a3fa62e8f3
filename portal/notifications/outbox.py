"""The outbox: every email is a row written in the caller's transaction.

Only after that transaction commits is a Celery task sent for the row, or for a batch of rows
(a news item to thousands, the digests, the sweep): a batch goes out over one SMTP connection. The
task claims its rows (portal/notifications/claims.py: `FOR UPDATE SKIP LOCKED` on PostgreSQL) up
to CLAIM_CHUNK at a time under a lease it renews while it sends them, and records each email's
outcome before it hands over the next (portal/notifications/records.py). Temporary failures wait
in `next_attempt_at` with a growing delay; the beat sweep re-sends rows that are due or whose
lease went stale (a worker killed mid-send), so no email is dropped, and after a crash only the
email in flight on each connection can go twice.
"""

import logging
import secrets
from collections import defaultdict
from datetime import timedelta
from email.utils import make_msgid, parseaddr
from functools import partial
from types import SimpleNamespace

import email_validator
from celery import Task
from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from portal.core import after_commit
from portal.core.dates import utcnow
from portal.core.errors import ValidationError
from portal.core.i18n import _l
from portal.extensions import db
from portal.notifications import backends, claims, messages, records
from portal.notifications.models import EmailAttachment, OutboundEmail

log = logging.getLogger(__name__)

PENDING_KEY = "outbox_pending_ids"
BATCH_KEY = "outbox_batch_ids"
# Rows claimed together: a whole batch (OUTBOX_BATCH_SIZE, default 200) in one claim and one
# SELECT of their attachments. The worker renews its lease on them while it sends, so however
# slow the server, the sweep leaves them alone until the worker stops.
CLAIM_CHUNK = 200


def queue_email(
    to: str,
    template: str,
    subject,
    *,
    language: str = "sv",
    reply_to: str | None = None,
    attachments: tuple[tuple[str, str, bytes], ...] = (),
    list_unsubscribe: str | None = None,
    **context,
) -> OutboundEmail:
    """Render `email/<template>.txt` and `.html` and add the row to the current transaction.

    `subject` may be a lazy string; it is rendered in the recipient's language.
    `attachments` are (filename, content type, bytes) triples. `list_unsubscribe` is the
    one-click address for the `List-Unsubscribe` headers (notifications use
    `portal.notifications.preferences.notify`, which sets it).
    """
    recipient = checked_address(to)
    reply_to = checked_address(reply_to) if reply_to else None
    with force_locale(language):
        subject_text = single_line(str(subject))
        context = {"base_url": current_app.config["PORTAL_BASE_URL"], **context}
        text_body = render_template(f"email/{template}.txt", **context)
        html_body = render_template(f"email/{template}.html", **context)
    email = OutboundEmail(
        recipient=recipient,
        subject=subject_text,
        template=template,
        text_body=text_body,
        html_body=html_body,
        reply_to=reply_to,
        list_unsubscribe=single_line(list_unsubscribe) if list_unsubscribe else None,
        message_id=make_msgid(domain=sender_domain()),
        status="queued",
        next_attempt_at=utcnow(),
    )
    email.attachments = [
        EmailAttachment(filename=single_line(name), content_type=kind, data=data)
        for name, kind, data in attachments
    ]
    db.session.add(email)
    db.session.flush()
    after_commit.remember(PENDING_KEY, email.id)
    return email


def queue_rendered_emails(rows: list[dict]) -> list[int]:
    """Write many emails rendered by the caller in one bulk INSERT; returns their ids.

    Each row gives recipient, subject, template, text_body, html_body and optionally
    list_unsubscribe. The addresses come from the users table, which checked them; the worker
    checks every row again before sending (`messages.refusal`). They are delivered in batches after
    the commit.
    """
    if not rows:
        return []
    now, domain = utcnow(), sender_domain()
    values = [
        {
            "reply_to": None,
            "list_unsubscribe": None,
            **row,
            "message_id": make_msgid(domain=domain),
            "status": "queued",
            "attempts": 0,
            "handoffs": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for row in rows
    ]
    ids = list(db.session.scalars(insert(OutboundEmail).returning(OutboundEmail.id), values))
    after_commit.remember(BATCH_KEY, *ids)
    return ids


def deliver_queued_in_batches() -> None:
    """The emails queued so far in this transaction go to the worker in batches, each sent over
    one SMTP connection, instead of one task and one connection per email."""
    after_commit.remember(BATCH_KEY, *after_commit.forget(PENDING_KEY))


def checked_address(address: str) -> str:
    """One plain address: no display names, lists or line breaks (header injection)."""
    if any(char in address for char in "\r\n,;"):
        raise ValidationError(_l("Ogiltig e-postadress."), field="email")
    try:
        return email_validator.validate_email(address, check_deliverability=False).normalized
    except email_validator.EmailNotValidError as error:
        raise ValidationError(_l("Ogiltig e-postadress."), field="email") from error


def single_line(value: str) -> str:
    if "\r" in value or "\n" in value:
        raise ValidationError(_l("Radbrytningar är inte tillåtna här."))
    return value


def sender_domain() -> str:
    address = parseaddr(current_app.config["MAIL_FROM"])[1]
    return address.rpartition("@")[2] or "localhost"


# The Celery tasks that deliver one row and a batch, given by the app factory: they live in
# notifications/tasks.py, which imports this module.
_delivery_tasks: dict[str, Task] = {}


def register_delivery_tasks(deliver_email: Task, deliver_emails: Task) -> None:
    _delivery_tasks.update(one=deliver_email, batch=deliver_emails)


def register_commit_hooks() -> None:
    """Send the delivery tasks for the rows queued in a transaction once it has committed
    (portal/core/after_commit.py): the single ones first, then the batches."""
    after_commit.on_commit(PENDING_KEY, dispatch_single)
    after_commit.on_commit(BATCH_KEY, dispatch_batches)


def dispatch_single(session: Session, email_ids: list[int]) -> None:
    """Stop at the first refusal: a request that queued fifty emails must not wait fifty
    broker timeouts. The rows are committed; the beat sweep sends the rest, batches included."""
    for email_id in email_ids:
        if not send_delivery_task(email_id):
            session.info.pop(BATCH_KEY, None)
            return


def dispatch_batches(session: Session, email_ids: list[int]) -> None:
    send_in_batches(email_ids)


def send_in_batches(email_ids: list[int]) -> int:
    """Hand the ids to the broker in batches of OUTBOX_BATCH_SIZE; returns how many went."""
    size = current_app.config["OUTBOX_BATCH_SIZE"]
    sent = 0
    for start in range(0, len(email_ids), size):
        batch = email_ids[start : start + size]
        if not send_delivery_batch(batch):
            break  # the broker is gone; the sweep sends the rest
        sent += len(batch)
    return sent


def send_delivery_task(email_id: int) -> bool:
    """Hand the row to the broker; if the broker is down the beat sweep will send it later."""
    deliver_email = _delivery_tasks["one"]
    try:
        deliver_email.apply_async(args=[email_id], retry=False)
    except Exception as error:  # the broker is unreachable: the row waits for the sweep
        log.warning("Could not send delivery task for email %s: %s", email_id, error)
        return False
    return True


def send_delivery_batch(email_ids: list[int]) -> bool:
    """Like `send_delivery_task`, for a batch sent over one SMTP connection."""
    deliver_emails = _delivery_tasks["batch"]
    try:
        deliver_emails.apply_async(args=[list(email_ids)], retry=False)
    except Exception as error:  # the broker is unreachable: the rows wait for the sweep
        log.warning("Could not send delivery task for %s emails: %s", len(email_ids), error)
        return False
    return True


def deliver(email_id: int) -> str:
    """Claim, send and record one email; returns the row's new status (or 'skipped')."""
    return deliver_many([email_id]).get(email_id, "skipped")


def deliver_many(email_ids: list[int]) -> dict[int, str]:
    """Claim, send and record the rows over one SMTP connection, CLAIM_CHUNK at a time; returns
    {id: new status} for the rows this worker claimed and still held when their turn came.
    Rows not due or claimed elsewhere are left alone."""
    statuses: dict[int, str] = {}
    with backends.connection() as mailer:
        for start in range(0, len(email_ids), CLAIM_CHUNK):
            lease = records.Lease(secrets.token_hex(8))
            rows = claimed_rows(email_ids[start : start + CLAIM_CHUNK], lease)
            if rows:  # the status writer opens the lease's connection and closes it
                statuses.update(send_claimed(mailer, rows, lease))
    sent = sum(1 for status in statuses.values() if status == "sent")
    log.info(
        "Delivered %s of %s emails claimed",
        sent,
        len(statuses),
        extra={"email_ids": list(statuses)},
    )
    return statuses


def send_claimed(mailer, rows: list[SimpleNamespace], lease: records.Lease) -> dict[int, str]:
    """Send the claimed rows one by one; returns {id: status}.

    Before each email, one status write records the outcome of the email before it, counts
    this one's hand-over and renews the lease. The write runs while this email's envelope and
    body go to the server, and the final "." waits for it: so at most one email per
    connection is ever handed over and not recorded, at little more than the cost of sending.
    A row the worker no longer holds when its turn comes is taken back before the ".".
    """
    with records.StatusWriter(lease) as writer:
        outcome = None
        for row in rows:
            writer.submit([outcome] if outcome else [], [row.id])
            outcome = send_one(mailer, row, partial(writer.held, row.id))
        writer.submit([outcome] if outcome else [], [])
        writer.wait()
    return writer.statuses


def claimed_rows(email_ids: list[int], lease: records.Lease) -> list[SimpleNamespace]:
    """Claim the rows under the lease and read what sending them needs in one committed
    UPDATE, then their attachments (nearly always none) in one SELECT. Plain rows, not ORM
    objects: loading two hundred of those cost as much as building their messages."""
    rows = claims.claim_rows(email_ids, token=lease.token)
    if not rows:
        return []
    lease.ids = [row.id for row in rows]
    attachments = defaultdict(list)
    for attachment in db.session.execute(
        select(
            EmailAttachment.email_id,
            EmailAttachment.filename,
            EmailAttachment.content_type,
            EmailAttachment.data,
        )
        .where(claims.one_of(EmailAttachment.email_id, [row.id for row in rows]))
        .order_by(EmailAttachment.id)
    ):
        attachments[attachment.email_id].append(attachment)
    db.session.commit()
    return [
        SimpleNamespace(
            **dict(zip(claims.OUTGOING_COLUMNS, row, strict=True)), attachments=attachments[row.id]
        )
        for row in rows
    ]


def send_one(
    mailer, row: SimpleNamespace, before_handover: backends.BeforeHandover = backends.always
) -> dict | None:
    """Send one claimed row; returns its outcome: the id, the new status and, unless it was
    sent, the values to record for it and whether it may have reached the server all the same
    (for its count of hand-overs). None if `before_handover` took it back."""
    try:
        problem = messages.refusal(row)
        if problem:
            raise backends.PermanentFailure(problem)
        mailer.send(messages.message_bytes(row), row.recipient, row.message_id, before_handover)
    except backends.HandoverCancelled:
        return None
    except backends.TemporaryFailure as error:
        outcome = retry_values(row.attempts, str(error))
        outcome["maybe_delivered"] = error.maybe_delivered
    except backends.PermanentFailure as error:
        outcome = {"status": "failed", "last_error": str(error), "maybe_delivered": False}
    except Exception as error:  # a bug or a broken row: count the attempt, show the error
        log.exception("Email %s could not be sent", row.id, extra={"email_ids": [row.id]})
        outcome = {
            **retry_values(row.attempts, f"{type(error).__name__}: {error}"),
            "maybe_delivered": True,
        }
    else:
        return {"id": row.id, "status": "sent"}
    log.info(
        "Email %s to %s: %s",
        row.id,
        row.recipient,
        outcome["last_error"],
        extra={"email_ids": [row.id]},
    )
    return {"id": row.id, "next_attempt_at": row.next_attempt_at, **outcome}


def retry_delay(attempts: int) -> timedelta:
    base = current_app.config["OUTBOX_RETRY_BASE_SECONDS"]
    return timedelta(seconds=base * 2 ** max(attempts - 1, 0))


def retry_values(attempts: int, error: str) -> dict:
    """Queued again after a growing delay, or failed once the attempts are used up."""
    if attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
        return {"status": "failed", "last_error": error}
    return {
        "status": "queued",
        "last_error": error,
        "next_attempt_at": utcnow() + retry_delay(attempts),
    }


def retry_email(email_id: int) -> OutboundEmail:
    """An admin asks for another try: the row is queued now with a fresh attempt budget."""
    row = db.get_or_404(OutboundEmail, email_id)
    if row.status == "sent":
        raise ValidationError(_l("E-postmeddelandet är redan skickat."))
    if row.status == "sending":
        raise ValidationError(_l("E-postmeddelandet skickas just nu."))
    if row.text_body == "" and row.html_body == "":
        raise ValidationError(
            _l("Meddelandets text är raderad efter lagringstiden och kan inte skickas igen.")
        )
    row.status, row.attempts, row.next_attempt_at = "queued", 0, utcnow()
    row.claimed_at = row.claim_token = None
    after_commit.remember(PENDING_KEY, row.id)
    return row
