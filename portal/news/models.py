"""A news item: Markdown body, draft, scheduled or published, for everyone, some organisations
or one project's team and participants, tagged with goal areas and projects."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import Organisation, User
from portal.core.dates import UTCDateTime, utcnow
from portal.core.i18n import _l
from portal.extensions import Model, db
from portal.projects.models import GoalArea, Project

NEWS_STATUSES = {
    "draft": _l("Utkast"),
    "scheduled": _l("Schemalagd"),
    "published": _l("Publicerad"),
}

news_organisations = Table(
    "news_organisations",
    db.metadata,
    Column("news_id", ForeignKey("news_items.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id"), primary_key=True),
)
news_goal_areas = Table(
    "news_goal_areas",
    db.metadata,
    Column("news_id", ForeignKey("news_items.id", ondelete="CASCADE"), primary_key=True),
    Column("goal_area_id", ForeignKey("goal_areas.id"), primary_key=True),
)
news_projects = Table(
    "news_projects",
    db.metadata,
    Column("news_id", ForeignKey("news_items.id", ondelete="CASCADE"), primary_key=True),
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
)


class NewsItem(Model):
    __tablename__ = "news_items"
    __table_args__ = (
        Index("ix_news_items_status_publish_at", "status", "publish_at"),
        # The order news is shown in (pinned, newest first), read backwards: the start page and
        # the news page stop after their first rows the reader may read, instead of sorting all.
        Index("ix_news_items_shown_order", "pinned", "publish_at", "id"),
    )
    # Search results are cached (portal/search/services.py): a change to news is a change.

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    publish_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pinned: Mapped[bool] = mapped_column(default=False)
    audience: Mapped[str] = mapped_column(String(16), default="everyone")
    # Indexed: "items for my projects" is read by the project ids of a person.
    audience_project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="SET NULL"), index=True
    )
    # Set once, when the item's readers were notified (portal/news/announce.py): an item
    # published, unpublished and published again is not sent twice.
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    author: Mapped[User | None] = relationship()
    audience_project: Mapped[Project | None] = relationship()
    organisations: Mapped[list[Organisation]] = relationship(secondary=news_organisations)
    goal_areas: Mapped[list[GoalArea]] = relationship(secondary=news_goal_areas)
    projects: Mapped[list[Project]] = relationship(secondary=news_projects)
    comments: Mapped[list[NewsComment]] = relationship(
        back_populates="news", cascade="all, delete-orphan", order_by="NewsComment.id"
    )


class NewsComment(Model):
    """A reader's comment in Markdown; its author edits or deletes it, staff moderate."""

    __tablename__ = "news_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    news_id: Mapped[int] = mapped_column(
        ForeignKey("news_items.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    news: Mapped[NewsItem] = relationship(back_populates="comments")
    author: Mapped[User | None] = relationship()
