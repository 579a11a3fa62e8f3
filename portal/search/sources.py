"""What the search box searches: one `Source` per kind of thing, each saying which of its
columns are indexed, what a result shows and links to, and who may see a row (a SQL condition,
so permissions are applied in the query, never after it).

Adding a kind is one more `Source` in SOURCES and the index's columns or table
for it in a migration; see README, "Search".
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from sqlalchemy import ColumnElement, and_, func, true

from portal.accounts.models import User
from portal.core.i18n import _l
from portal.documents.access import visible_to
from portal.documents.models import Document
from portal.news.models import NewsComment, NewsItem
from portal.news.services import audience_includes, is_out
from portal.projects.models import Project


@dataclass(frozen=True)
class Source:
    kind: str
    label: str
    # Tag of the kind in the SQLite index's rowid (id * 16 + code): 1–15, unique per source.
    code: int
    # One result per row of `model`, whose integer `id` the index refers to.
    model: type
    # The model's own text columns that are indexed, each with its PostgreSQL weight: "A" is
    # the title (ranked highest; on SQLite the title column of the index), "B"–"D" the rest.
    fields: tuple[tuple[str, str], ...]
    # What a result shows: its title and the text its snippet is cut from.
    title: Callable[[], ColumnElement]
    snippet: Callable[[], ColumnElement]
    # A value the link needs besides the row's id (a slug, the news item's id) and the link.
    ref: Callable[[], ColumnElement]
    url: Callable[[str, int], str]
    # Who may see a row: a SQL condition for this user at this time.
    visible: Callable[[User, datetime], ColumnElement[bool]]
    # Tables joined to `model` for title, ref or visible: (target, on clause) pairs.
    joins: Callable[[], tuple] = tuple

    @property
    def table_name(self) -> str:
        return self.model.__tablename__


def _news_visible(user: User, now: datetime) -> ColumnElement[bool]:
    return and_(is_out(now), audience_includes(user))


PROJECTS = Source(
    kind="project",
    label=_l("Projekt"),
    code=1,
    model=Project,
    fields=(("title", "A"), ("summary", "B"), ("description", "C")),
    title=lambda: Project.title,
    snippet=lambda: Project.summary + "\n\n" + Project.description,
    ref=lambda: Project.slug,
    url=lambda slug, _id: url_for("projects.project", slug=slug),
    # Every signed-in person reads every project.
    visible=lambda user, now: true(),
)

NEWS = Source(
    kind="news",
    label=_l("Nyhet"),
    code=2,
    model=NewsItem,
    fields=(("title", "A"), ("body", "C")),
    title=lambda: NewsItem.title,
    snippet=lambda: NewsItem.body,
    ref=lambda: NewsItem.id,
    url=lambda _ref, news_id: url_for("news.news_item", news_id=news_id),
    visible=_news_visible,
)

COMMENTS = Source(
    kind="comment",
    label=_l("Kommentar till nyheten"),
    code=3,
    model=NewsComment,
    fields=(("body", "C"),),
    title=lambda: NewsItem.title,
    snippet=lambda: NewsComment.body,
    ref=lambda: NewsComment.news_id,
    url=lambda news_id, comment_id: url_for(
        "news.news_item", news_id=int(news_id), _anchor=f"kommentar-{comment_id}"
    ),
    # A comment is seen by those who see its news item.
    visible=_news_visible,
    joins=lambda: ((NewsItem, NewsItem.id == NewsComment.news_id),),
)

DOCUMENTS = Source(
    kind="document",
    label=_l("Dokument"),
    code=4,
    model=Document,
    # current_text is the current version's extracted text, kept on the document for this.
    fields=(("title", "A"), ("description", "B"), ("current_text", "C")),
    title=lambda: Document.title,
    snippet=lambda: Document.description + "\n\n" + func.coalesce(Document.current_text, ""),
    ref=lambda: Document.id,
    url=lambda _ref, document_id: url_for("documents.document", document_id=document_id),
    # The documents' own rule: not in the bin, and for everyone, the reader's organisation,
    # a project they are on or what they uploaded.
    visible=lambda user, now: visible_to(user),
)

SOURCES: tuple[Source, ...] = (PROJECTS, NEWS, COMMENTS, DOCUMENTS)
