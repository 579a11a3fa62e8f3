"""The start page's read model: the projects' part (portal/projects/dashboard.py) with the latest
news the person may read and the documents lately added or changed in their projects.

The news and documents are read here, in `main`, because `projects` sits below both features
and may not import them. Each part is one SQL statement whatever the number of rows, and reads
with the feature's own rule of who may read what. A scheduled news item appears here once beat
has published it (within the minute): publishing writes its row, which renews the cached page.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from portal.accounts.models import User
from portal.core.database import plan_each_statement
from portal.documents.access import visible_to
from portal.documents.models import Document
from portal.extensions import db
from portal.news.models import NewsItem
from portal.news.services import audience_parts, is_out
from portal.projects.dashboard import (
    Dashboard,
    first_rows,
    is_mine,
    projects_for_dashboard,
    ways_of_belonging,
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
    ways = ways_of_belonging(user)
    return StartPage(
        projects=projects_for_dashboard(user, today, ways),
        news=latest_news(user, now, ways),
        documents=recent_project_documents(user),
    )


def latest_news(user: User, now: datetime, ways: list | None = None) -> list:
    """What the news page shows the user first: pinned items, then the newest; each way an
    item can be for them read apart, in that order (`ways`: their `ways_of_belonging`)."""
    ways = ways_of_belonging(user) if ways is None else ways
    shown = select(NewsItem.id, NewsItem.title, NewsItem.publish_at, NewsItem.pinned)
    order = [("pinned", True), ("publish_at", True), ("id", True)]
    parts = [shown.where(is_out(now), part) for part in audience_parts(user, ways)]
    return db.session.execute(first_rows(parts, order, NEWS_LIMIT)).all()


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
