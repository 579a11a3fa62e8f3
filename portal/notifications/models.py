"""The email outbox (one row per message to one recipient), each person's notification
preferences and the entries waiting for their daily or weekly digest."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.dates import UTCDateTime, utcnow
from portal.core.i18n import _l
from portal.extensions import Model

EMAIL_STATUSES = {
    "queued": _l("Köad"),
    "sending": _l("Skickas"),
    "sent": _l("Skickad"),
    "failed": _l("Misslyckad"),
}


class OutboundEmail(Model):
    __tablename__ = "outbound_emails"
    read_cache_ignored = True
    __table_args__ = (
        Index("ix_outbound_emails_status_next", "status", "next_attempt_at"),
        # A person's emails (their data export, their erasure) and beat's daily emptying of
        # the bodies past OUTBOX_RETENTION_DAYS (portal/notifications/retention.py).
        Index("ix_outbound_emails_recipient", "recipient"),
        Index("ix_outbound_emails_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    template: Mapped[str] = mapped_column(String(100))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    reply_to: Mapped[str | None] = mapped_column(String(254))
    # The one-click unsubscribe address of a notification (RFC 8058); None for other emails.
    list_unsubscribe: Mapped[str | None] = mapped_column(String(500))
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The lease of the worker sending the row: renewed while its batch goes out, so the sweep
    # takes the row only from a worker that has stopped. The token names the holder: a worker
    # records a retry or a failure only for rows it still holds.
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim_token: Mapped[str | None] = mapped_column(String(32))
    # Hand-overs to the SMTP server that may have been accepted: counted in the write that
    # precedes each hand-over, taken back when the server refuses. Above 1 on a sent row, the
    # email may have reached its recipient that many times (an upper bound).
    handoffs: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    attachments: Mapped[list[EmailAttachment]] = relationship(
        back_populates="email", cascade="all, delete-orphan", order_by="EmailAttachment.id"
    )

    @property
    def status_label(self) -> str:
        return str(EMAIL_STATUSES.get(self.status, self.status))


class EmailAttachment(Model):
    __tablename__ = "email_attachments"
    read_cache_ignored = True

    id: Mapped[int] = mapped_column(primary_key=True)
    email_id: Mapped[int] = mapped_column(
        ForeignKey("outbound_emails.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary)

    email: Mapped[OutboundEmail] = relationship(back_populates="attachments")


class NotificationPreference(Model):
    """A person's own choice for one kind of notification. Only choices that differ from the
    role's default are stored (portal/notifications/preferences.py holds the defaults)."""

    __tablename__ = "notification_preferences"
    read_cache_ignored = True

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    frequency: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class DigestEntry(Model):
    """One thing that happened, waiting for the person's daily or weekly digest; deleted in
    the transaction that queues the digest email."""

    __tablename__ = "digest_entries"
    read_cache_ignored = True
    __table_args__ = (Index("ix_digest_entries_frequency_user", "frequency", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    frequency: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
