"""The accessibility statement (one row, written by admins; until then the default in
statement.py) and the barriers people report through the open form."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.core.dates import UTCDateTime, utcnow
from portal.core.i18n import _l
from portal.extensions import Model

REPORT_STATUSES = {"new": _l("Ny"), "handled": _l("Hanterad")}
REPORT_KINDS = {
    "barrier": _l("Något går inte att använda"),
    "other_format": _l("Jag vill ha innehåll i ett annat format"),
}


class AccessibilityStatement(Model):
    """The statement as an admin last saved it: Markdown and the date of the assessment. The
    portal keeps one row; the page shows the default text until an admin saves."""

    __tablename__ = "accessibility_statements"
    read_cache_ignored = True  # no cached page shows it

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    assessed_on: Mapped[date]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    updated_by: Mapped[User | None] = relationship()


class BarrierReport(Model):
    """A barrier someone reported, or a request for content in another form; anyone may send
    one, logged in or not, and only what they typed is kept (no account, no address). Admins
    mark it handled."""

    __tablename__ = "barrier_reports"
    read_cache_ignored = True  # only the admins' list shows them, uncached
    __table_args__ = (Index("ix_barrier_reports_status_created_at", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="barrier")
    page: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(16), default="new")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    handled_by: Mapped[User | None] = relationship()

    @property
    def status_label(self) -> str:
        return str(REPORT_STATUSES.get(self.status, self.status))

    @property
    def kind_label(self) -> str:
        return str(REPORT_KINDS.get(self.kind, self.kind))
