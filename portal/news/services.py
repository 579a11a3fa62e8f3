"""Who may read which news item, and writing, scheduling and publishing it.

A scheduled item is out from its publish time on, whether or not beat has flipped its status
yet: readers never wait for the minute's task. Staff and admins write news and read all of it.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, or_, select, true, update
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.accounts.permissions import is_staff
from portal.core.dates import utcnow
from portal.core.errors import PermissionDenied, ValidationError
from portal.core.i18n import _l
from portal.core.pagination import Paged
from portal.extensions import db
from portal.news import announce
from portal.news.models import (
    NEWS_STATUSES,
    NewsComment,
    NewsItem,
    news_goal_areas,
    news_organisations,
    news_projects,
)
from portal.projects import audience as shared_audience
from portal.projects.audience import AudienceMessages, checked_audience, rows_by_id
from portal.projects.models import GoalArea, Project

PER_PAGE = 20
AUDIENCE_MESSAGES = AudienceMessages(
    audience=_l("Välj vilka nyheten gäller."),
    organisations=_l("Välj minst en organisation som nyheten gäller."),
    project=_l("Välj projektet vars grupp och deltagare nyheten gäller."),
)


def is_out(now: datetime):
    """Published, or scheduled and its time has come."""
    return or_(
        NewsItem.status == "published",
        and_(NewsItem.status == "scheduled", NewsItem.publish_at <= now),
    )


def audience_includes(user: User):
    """Staff and admins read everything; others what is aimed at them."""
    if is_staff(user):
        return true()
    return shared_audience.audience_includes(
        user, NewsItem.audience, NewsItem.audience_project_id, _chosen
    )


def audience_parts(user: User, ways: list) -> list:
    """`audience_includes` as one condition per way an item can be for the user (any one will
    do); `ways` as in `portal.projects.audience.audience_parts`."""
    if is_staff(user):
        return [true()]
    return shared_audience.audience_parts(
        user, NewsItem.audience, NewsItem.audience_project_id, _chosen, ways
    )


def _chosen(organisation_id: int):
    return exists().where(
        news_organisations.c.news_id == NewsItem.id,
        news_organisations.c.organisation_id == organisation_id,
    )


@dataclass
class NewsPage(Paged):
    items: list[NewsItem]
    page: int
    pages: int
    goal_area: int | None
    project: int | None = None


def news_for(
    user: User, page: int = 1, goal_area: int | None = None, project: int | None = None
) -> NewsPage:
    """What the user may read, pinned first, newest first; optionally only one goal area's
    or one project's news."""
    conditions = [is_out(utcnow()), audience_includes(user)]
    if project is not None:
        conditions.append(
            exists().where(
                news_projects.c.news_id == NewsItem.id, news_projects.c.project_id == project
            )
        )
    if goal_area is not None:
        conditions.append(
            exists().where(
                news_goal_areas.c.news_id == NewsItem.id,
                news_goal_areas.c.goal_area_id == goal_area,
            )
        )
    total = db.session.scalar(select(func.count(NewsItem.id)).where(*conditions)) or 0
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    page = min(max(page, 1), pages)
    items = db.session.scalars(
        select(NewsItem)
        .where(*conditions)
        .options(selectinload(NewsItem.author))
        .order_by(NewsItem.pinned.desc(), NewsItem.publish_at.desc(), NewsItem.id.desc())
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    return NewsPage(items=list(items), page=page, pages=pages, goal_area=goal_area, project=project)


def waiting_news() -> list[NewsItem]:
    """Drafts and scheduled items not yet out, for the people who write news."""
    return list(
        db.session.scalars(
            select(NewsItem)
            .where(~is_out(utcnow()))
            .order_by(NewsItem.publish_at.is_(None), NewsItem.publish_at, NewsItem.id.desc())
        )
    )


def readable_item(user: User, news_id: int) -> NewsItem | None:
    conditions = [NewsItem.id == news_id]
    if not is_staff(user):
        conditions += [is_out(utcnow()), audience_includes(user)]
    return db.session.scalar(
        select(NewsItem)
        .where(*conditions)
        .options(
            selectinload(NewsItem.author),
            selectinload(NewsItem.goal_areas),
            selectinload(NewsItem.projects),
            selectinload(NewsItem.organisations),
            selectinload(NewsItem.comments).selectinload(NewsComment.author),
        )
    )


def save_news(
    actor: User,
    item: NewsItem | None,
    *,
    title: str,
    body: str,
    status: str,
    publish_at: datetime | None,
    pinned: bool,
    audience: str,
    organisation_ids: list[int],
    audience_project_id: int | None,
    goal_area_ids: list[int],
    project_ids: list[int],
    now: datetime | None = None,
) -> NewsItem:
    """Create or change an item. Publishing now stamps the time; scheduling needs a time ahead."""
    now = now or utcnow()
    if status not in NEWS_STATUSES:
        raise ValidationError(_l("Välj en status i listan."), field="status")
    if status == "scheduled":
        if publish_at is None:
            raise ValidationError(_l("Ange när nyheten ska publiceras."), field="publish_at")
        if publish_at <= now:
            raise ValidationError(
                _l("Välj en tidpunkt framåt i tiden, eller publicera nu."), field="publish_at"
            )
    chosen = checked_audience(audience, organisation_ids, audience_project_id, AUDIENCE_MESSAGES)
    if item is None:
        item = NewsItem(author=actor)
        db.session.add(item)
    was_out = item.status == "published"
    item.title = title.strip()
    item.body = body or ""
    item.status = status
    if status == "published":
        item.publish_at = item.publish_at if was_out and item.publish_at else now
    elif status == "scheduled":
        item.publish_at = publish_at
    else:
        item.publish_at = None
    item.pinned = pinned
    item.audience = chosen.audience
    item.organisations = chosen.organisations
    item.audience_project = chosen.project
    item.goal_areas = rows_by_id(GoalArea, goal_area_ids, "goal_area_ids")
    item.projects = rows_by_id(Project, project_ids, "project_ids")
    db.session.flush()
    if item.status == "published" and item.notified_at is None:
        announce.announce_after_commit([item.id])
    return item


def unannounced_news(now: datetime, within: timedelta = timedelta(days=1)) -> list[int]:
    """Published lately and not yet announced: the task after the commit never ran (the
    broker was down) or died."""
    return list(
        db.session.scalars(
            select(NewsItem.id).where(
                NewsItem.status == "published",
                NewsItem.notified_at.is_(None),
                NewsItem.publish_at >= now - within,
            )
        )
    )


def delete_news(item: NewsItem) -> None:
    db.session.delete(item)


def publish_due_news(now: datetime | None = None) -> list[int]:
    """Scheduled items whose time has come become published; returns their ids."""
    now = now or utcnow()
    due = list(
        db.session.scalars(
            select(NewsItem.id).where(NewsItem.status == "scheduled", NewsItem.publish_at <= now)
        )
    )
    if due:
        db.session.execute(update(NewsItem).where(NewsItem.id.in_(due)).values(status="published"))
    return due


def may_change_comment(user: User, comment: NewsComment) -> bool:
    """Its author; staff and admins moderate."""
    return comment.author_id == user.id or is_staff(user)


def comment_of(item: NewsItem, comment_id: int) -> NewsComment | None:
    return db.session.scalar(
        select(NewsComment).where(NewsComment.id == comment_id, NewsComment.news_id == item.id)
    )


def add_comment(author: User, item: NewsItem, body: str) -> NewsComment:
    comment = NewsComment(news=item, author=author, body=_comment_text(body))
    db.session.add(comment)
    return comment


def edit_comment(actor: User, comment: NewsComment, body: str) -> None:
    if comment.author_id != actor.id:
        raise PermissionDenied(_l("Bara den som skrev kommentaren kan ändra den."))
    comment.body = _comment_text(body)
    comment.edited_at = utcnow()


def delete_comment(actor: User, comment: NewsComment) -> None:
    if not may_change_comment(actor, comment):
        raise PermissionDenied(_l("Du kan bara ta bort dina egna kommentarer."))
    db.session.delete(comment)


def _comment_text(body: str) -> str:
    text = (body or "").strip()
    if not text:
        raise ValidationError(_l("Skriv något i kommentaren."), field="body")
    return text


def tagged_projects() -> list[tuple[int, str]]:
    """The projects some news item is tagged with, for the list's filter."""
    return [
        tuple(row)
        for row in db.session.execute(
            select(Project.id, Project.title)
            .where(exists().where(news_projects.c.project_id == Project.id))
            .order_by(Project.title, Project.id)
        )
    ]
