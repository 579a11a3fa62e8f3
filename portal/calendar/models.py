"""Calendar events, and the deadline reminders already sent (so a rerun never sends twice)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import Organisation, User
from portal.core.dates import UTCDateTime, utcnow
from portal.extensions import Model, db
from portal.projects.models import Project

event_organisations = Table(
    "event_organisations",
    db.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id"), primary_key=True),
)


class Event(Model):
    """A meeting or a conference. Times are UTC; an all-day event runs from the Swedish
    midnight of its first day to the Swedish midnight of its last day (both days included)."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_starts_at_ends_at", "starts_at", "ends_at"),)
    # No cached page shows events: writing them leaves the project pages' cache alone.
    read_cache_ignored = True

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    all_day: Mapped[bool] = mapped_column(default=False)
    place: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(String(16), default="everyone")
    # Indexed: "items for my projects" is read by the project ids of a person.
    audience_project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="SET NULL"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    author: Mapped[User | None] = relationship()
    audience_project: Mapped[Project | None] = relationship()
    organisations: Mapped[list[Organisation]] = relationship(secondary=event_organisations)


class DeadlineReminder(Model):
    """One reminder queued for a milestone or a report deadline: which deadline, for which due
    date (a moved deadline is reminded of again) and how many days before it (-1: the day
    after it was missed). The unique constraints make a second run a no-op."""

    __tablename__ = "deadline_reminders"
    __table_args__ = (
        UniqueConstraint("milestone_id", "due_on", "days_before"),
        UniqueConstraint("report_deadline_id", "due_on", "days_before"),
    )
    read_cache_ignored = True

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int | None] = mapped_column(
        ForeignKey("milestones.id", ondelete="CASCADE")
    )
    report_deadline_id: Mapped[int | None] = mapped_column(
        ForeignKey("report_deadlines.id", ondelete="CASCADE")
    )
    due_on: Mapped[date]
    days_before: Mapped[int]
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
