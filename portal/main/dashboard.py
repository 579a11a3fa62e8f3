"""The start page's read model: the projects' part (portal/projects/dashboard.py) with the latest
news the person may read and the documents lately added or changed in their projects.

The news and documents are read here, in `main`, because `projects` sits below both features
and may not import them. Each part is one SQL statement whatever the number of rows, and reads
with the feature's own rule of who may read what. A scheduled news item appears here once beat
has published it (within the minute): publishing writes its row, which renews the cached page.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from sqlalchemy import Integer, Select, bindparam, select

from portal.accounts.models import User
from portal.core.database import plan_each_statement
from portal.documents.access import visible_to
from portal.documents.models import Document
from portal.extensions import db
from portal.news.models import NewsItem
from portal.news.services import audience_parts, is_out
from portal.projects.dashboard import (
    Belonging,
    Dashboard,
    belonging_of,
    bound_ways,
    first_rows,
    is_mine,
    projects_for_dashboard,
)
from portal.projects.models import Project

NEWS_LIMIT = 5
DOCUMENTS_LIMIT = 5
# A document changed within this time of its upload is shown as added, not as changed: the
# upload writes the row twice (the document, then its first version's text).
JUST_ADDED = timedelta(minutes=1)


@dataclass
class RecentDocument:
    id: int
    title: str
    updated_at: datetime
    created_at: datetime
    slug: str
    project_title: str

    @property
    def is_new(self) -> bool:
        return self.updated_at - self.created_at < JUST_ADDED


@dataclass
class StartPage:
    projects: Dashboard
    news: list  # rows: id, title, publish_at, pinned
    documents: list[RecentDocument]


def start_page(user: User, today: date, now: datetime) -> StartPage:
    """Each way of belonging is read apart (`first_rows`), planned for this person's values."""
    plan_each_statement(db.session)
    belonging = belonging_of(user)
    return StartPage(
        projects=projects_for_dashboard(user, today, belonging),
        news=latest_news(user, now, belonging),
        documents=recent_project_documents(user),
    )


def latest_news(user: User, now: datetime, belonging: Belonging | None = None) -> list:
    """What the news page shows the user first: pinned items, then the newest; each way an
    item can be for them read apart, in that order."""
    belonging = belonging_of(user) if belonging is None else belonging
    statement = _latest_news_statement(belonging.shape, user.role)
    return db.session.execute(statement, {**belonging.params, "now": now}).all()


class _BoundReader:
    """A reader of a role, with the organisation a bound parameter (`Belonging.params`)."""

    is_authenticated = True

    def __init__(self, role: str, has_organisation: bool):
        self.role = role
        self.organisation_id = (
            bindparam("organisation_id", type_=Integer) if has_organisation else None
        )


@lru_cache(maxsize=32)
def _latest_news_statement(shape: tuple[bool, bool], role: str) -> Select:
    """Built once per shape of belonging and role, run with each person's values."""
    reader = _BoundReader(role, has_organisation=shape[1])
    shown = select(NewsItem.id, NewsItem.title, NewsItem.publish_at, NewsItem.pinned)
    order = [("pinned", True), ("publish_at", True), ("id", True)]
    parts = [
        shown.where(is_out(bindparam("now")), part)
        for part in audience_parts(reader, bound_ways(shape))
    ]
    return first_rows(parts, order, NEWS_LIMIT)


def recent_project_documents(user: User) -> list[RecentDocument]:
    """Documents of the user's projects that they may read, last added or changed first. A new
    version writes its document's row (portal/documents/models.py), so `updated_at` follows it."""
    rows = db.session.execute(
        select(
            Document.id,
            Document.title,
            Document.updated_at,
            Document.created_at,
            Project.slug,
            Project.title.label("project_title"),
        )
        .join(Project, Document.project_id == Project.id)
        .where(is_mine(user, Document.project_id), visible_to(user))
        .order_by(Document.updated_at.desc(), Document.id.desc())
        .limit(DOCUMENTS_LIMIT)
    )
    return [RecentDocument(**row._asdict()) for row in rows]
