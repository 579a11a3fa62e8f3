"""How long the outbox keeps what an email said: OUTBOX_RETENTION_DAYS after it was written,
a sent or failed email loses its text, HTML and attachments (beat, once a day). Who it went
to, its subject, status and times stay, so the outbox page still answers "was it sent?"."""

from datetime import datetime, timedelta
from typing import cast

from flask import current_app
from sqlalchemy import CursorResult, delete, or_, select, update

from portal.core.dates import utcnow
from portal.extensions import db
from portal.notifications.models import EmailAttachment, OutboundEmail

# Rows still waiting to go keep their bodies whatever their age: emptied, they would be sent
# empty.
FINISHED = ("sent", "failed")


def retention_cutoff(now: datetime | None = None) -> datetime:
    """Emails written before this have had their bodies emptied (or will have, by beat)."""
    return (now or utcnow()) - timedelta(days=current_app.config["OUTBOX_RETENTION_DAYS"])


def forget_old_bodies(now: datetime | None = None) -> int:
    """Empty the bodies of finished emails older than the retention and drop their
    attachments; returns how many emails were emptied. The caller commits."""
    old = (
        OutboundEmail.created_at < retention_cutoff(now),
        OutboundEmail.status.in_(FINISHED),
    )
    db.session.execute(
        delete(EmailAttachment).where(
            EmailAttachment.email_id.in_(select(OutboundEmail.id).where(*old))
        )
    )
    # An UPDATE gives a CursorResult, which has the rowcount; execute() is typed as any Result.
    result = cast(
        CursorResult,
        db.session.execute(
            update(OutboundEmail)
            .where(*old, or_(OutboundEmail.text_body != "", OutboundEmail.html_body != ""))
            .values(text_body="", html_body="")
            .execution_options(synchronize_session=False)
        ),
    )
    return result.rowcount
