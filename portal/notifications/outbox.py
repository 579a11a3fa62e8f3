"""The outbox: every email is a row written in the caller's transaction.

Only after that transaction commits is a Celery task sent for the row. The task claims the row
(`FOR UPDATE SKIP LOCKED` on PostgreSQL, a conditional UPDATE on SQLite), sends it and records the
outcome. Temporary failures wait in `next_attempt_at` with a growing delay; the beat sweep re-sends
rows that are due or whose claim went stale (a worker killed mid-send), so no email is dropped.
"""

import logging
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

import email_validator
from flask import Flask, current_app, render_template
from flask_babel import force_locale
from sqlalchemy import and_, event, or_, select, update
from sqlalchemy.orm import Session

from portal.core.dates import utcnow
from portal.core.errors import ValidationError
from portal.core.i18n import _l
from portal.extensions import db
from portal.notifications import backends
from portal.notifications.models import EmailAttachment, OutboundEmail

log = logging.getLogger(__name__)

PENDING_KEY = "outbox_pending_ids"


def queue_email(
    to: str,
    template: str,
    subject,
    *,
    language: str = "sv",
    reply_to: str | None = None,
    attachments: tuple[tuple[str, str, bytes], ...] = (),
    **context,
) -> OutboundEmail:
    """Render `email/<template>.txt` and `.html` and add the row to the current transaction.

    `subject` may be a lazy string; it is rendered in the recipient's language.
    `attachments` are (filename, content type, bytes) triples.
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
    db.session.info.setdefault(PENDING_KEY, []).append(email.id)
    return email


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


def register_after_commit_dispatch(app: Flask) -> None:
    """Send the delivery task for each queued row only once its transaction has committed."""
    if getattr(register_after_commit_dispatch, "done", False):
        return
    register_after_commit_dispatch.done = True

    @event.listens_for(Session, "after_commit")
    def dispatch_after_commit(session: Session) -> None:
        # Stop at the first refusal: a request that queued fifty emails must not wait fifty
        # broker timeouts. The rows are committed; the beat sweep sends the rest.
        for email_id in session.info.pop(PENDING_KEY, []):
            if not send_delivery_task(email_id):
                break

    @event.listens_for(Session, "after_rollback")
    def forget_after_rollback(session: Session) -> None:
        session.info.pop(PENDING_KEY, None)


def send_delivery_task(email_id: int) -> bool:
    """Hand the row to the broker; if the broker is down the beat sweep will send it later."""
    from portal.notifications.tasks import deliver_email

    try:
        deliver_email.apply_async(args=[email_id], retry=False)
    except Exception as error:  # the broker is unreachable: the row waits for the sweep
        log.warning("Could not send delivery task for email %s: %s", email_id, error)
        return False
    return True


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
    now = utcnow()
    if db.session.get_bind().dialect.name == "postgresql":
        row = db.session.scalars(
            select(OutboundEmail)
            .where(OutboundEmail.id == email_id, claimable(now))
            .with_for_update(skip_locked=True)
        ).first()
        if row is None:
            db.session.rollback()
            return None
        row.status, row.claimed_at, row.attempts = "sending", now, row.attempts + 1
        db.session.commit()
        return row
    result = db.session.execute(
        update(OutboundEmail)
        .where(OutboundEmail.id == email_id, claimable(now))
        .values(status="sending", claimed_at=now, attempts=OutboundEmail.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if result.rowcount != 1:
        return None
    return db.session.get(OutboundEmail, email_id, populate_existing=True)


def build_message(row: OutboundEmail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = row.recipient
    message["Subject"] = row.subject
    message["Date"] = format_datetime(row.created_at)
    message["Message-ID"] = row.message_id
    if row.reply_to:
        message["Reply-To"] = row.reply_to
    message.set_content(row.text_body)
    message.add_alternative(row.html_body, subtype="html")
    for attachment in row.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(
            attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    return message


def refusal(row: OutboundEmail) -> str | None:
    """Why the row must never reach the SMTP server, if it was written around `queue_email`."""
    try:
        checked_address(row.recipient)
        if row.reply_to:
            checked_address(row.reply_to)
        single_line(row.subject)
    except ValidationError:
        return "refused: recipient, reply-to or subject is not a single plain value"
    return None


def deliver(email_id: int) -> str:
    """Claim, send and record one email; returns the row's new status (or 'skipped')."""
    row = claim(email_id)
    if row is None:
        return "skipped"
    try:
        problem = refusal(row)
        if problem:
            raise backends.PermanentFailure(problem)
        backends.send(build_message(row), row.recipient)
    except backends.TemporaryFailure as error:
        schedule_retry(row, str(error))
    except backends.PermanentFailure as error:
        mark_failed(row, str(error))
    except Exception as error:  # a bug or a broken row: count the attempt, show the error
        log.exception("Email %s could not be sent", row.id)
        schedule_retry(row, f"{type(error).__name__}: {error}")
    else:
        row.status, row.sent_at, row.last_error = "sent", utcnow(), None
    row.claimed_at = None
    db.session.commit()
    log.info("Email %s to %s: %s", row.id, row.recipient, row.status)
    return row.status


def retry_delay(attempts: int) -> timedelta:
    base = current_app.config["OUTBOX_RETRY_BASE_SECONDS"]
    return timedelta(seconds=base * 2 ** max(attempts - 1, 0))


def schedule_retry(row: OutboundEmail, error: str) -> None:
    row.last_error = error
    if row.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
        row.status = "failed"
        return
    row.status = "queued"
    row.next_attempt_at = utcnow() + retry_delay(row.attempts)


def mark_failed(row: OutboundEmail, error: str) -> None:
    row.status, row.last_error = "failed", error


def fail_abandoned() -> int:
    """Mark failed the stale claims that have used up their attempts; returns how many."""
    result = db.session.execute(
        update(OutboundEmail)
        .where(
            stale_claim(utcnow()),
            OutboundEmail.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"],
        )
        .values(
            status="failed",
            claimed_at=None,
            last_error="abandoned: the worker stopped while sending, attempts used up",
        )
        .execution_options(synchronize_session=False)
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


def retry_email(email_id: int) -> OutboundEmail:
    """An admin asks for another try: the row is queued now with a fresh attempt budget."""
    row = db.get_or_404(OutboundEmail, email_id)
    if row.status == "sent":
        raise ValidationError(_l("E-postmeddelandet är redan skickat."))
    if row.status == "sending":
        raise ValidationError(_l("E-postmeddelandet skickas just nu."))
    row.status, row.attempts, row.next_attempt_at, row.claimed_at = "queued", 0, utcnow(), None
    db.session.info.setdefault(PENDING_KEY, []).append(row.id)
    return row
