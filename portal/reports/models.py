"""Progress and final reports to funders: templates, reports, their versions and deliveries.

A report belongs to one grant of a project and covers a period inside the grant's period. Every
save keeps a new `ReportVersion` (the previous ones stay, so any two can be compared); the
version that was sent is frozen together with the PDF that went out, so the project's archive
shows exactly what the funder received, to whom and when.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import Organisation, User
from portal.core.dates import UTCDateTime, utcnow
from portal.core.i18n import _l
from portal.extensions import Model, db
from portal.projects.models import Grant, Project

REPORT_KINDS = {
    "progress_report": _l("Lägesrapport"),
    "final_report": _l("Slutrapport"),
}
REPORT_STATES = {
    "draft": _l("Utkast"),
    "in_review": _l("Granskas"),
    "approved": _l("Godkänd"),
    "sent": _l("Skickad"),
}


class ReportTemplate(Model):
    """Section titles and the data each section is drafted from; admins add them without code.

    `sections` is a list of {"title": str, "source": str, "guidance": str}, where `source` names
    one of the data sources in portal/reports (an unknown name is refused when saved).
    """

    __tablename__ = "report_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    funder_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    sections: Mapped[list] = mapped_column(db.JSON, default=list)
    is_builtin: Mapped[bool] = mapped_column(default=False)
    is_retired: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    funder: Mapped[Organisation | None] = relationship()


class Report(Model):
    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    grant_id: Mapped[int] = mapped_column(ForeignKey("grants.id"), index=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("report_templates.id"))
    kind: Mapped[str] = mapped_column(String(32), default="progress_report")
    period_starts_on: Mapped[date]
    period_ends_on: Mapped[date]
    state: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    is_recurring: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    review_requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    review_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)

    project: Mapped[Project] = relationship()
    grant: Mapped[Grant] = relationship()
    template: Mapped[ReportTemplate] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    review_requested_by: Mapped[User | None] = relationship(foreign_keys=[review_requested_by_id])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    sent_by: Mapped[User | None] = relationship(foreign_keys=[sent_by_id])
    # A sent report takes no new versions: the last one is the one that went out.
    versions: Mapped[list[ReportVersion]] = relationship(
        back_populates="report", order_by="ReportVersion.number", cascade="all, delete-orphan"
    )
    deliveries: Mapped[list[ReportDelivery]] = relationship(
        back_populates="report", order_by="ReportDelivery.id", cascade="all, delete-orphan"
    )


class ReportVersion(Model):
    """One saved state of a report: every section's title, data source, text and data snapshot.

    `sections` is a list of {"title": str, "source": str, "text": str, "data": ...}; "data" is
    the JSON snapshot of the source's tables and figures for the report's period, so a version
    renders the same document whenever it is shown.
    """

    __tablename__ = "report_versions"
    __table_args__ = (UniqueConstraint("report_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    number: Mapped[int]
    sections: Mapped[list] = mapped_column(db.JSON, default=list)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    report: Mapped[Report] = relationship(back_populates="versions")
    author: Mapped[User | None] = relationship()


class ReportDelivery(Model):
    """One recipient of a sent report: who, at which address, and the outbox row that carries it."""

    __tablename__ = "report_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    recipient_name: Mapped[str] = mapped_column(String(200))
    recipient_email: Mapped[str] = mapped_column(String(254))
    outbound_email_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbound_emails.id", ondelete="SET NULL")
    )
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    report: Mapped[Report] = relationship(back_populates="deliveries")
