"""A published news item reaches its readers: an email now for those who want news immediately,
an entry for the daily or weekly digest for the others.

Thousands of readers are told in one task after the publishing commits: the email is rendered
once per language, each person's unsubscribe address is put into the text, and the rows go in
with bulk INSERTs. Marking the item notified in the same transaction makes the task safe to run
twice.
"""

import logging

from celery import shared_task
from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import ColumnElement, exists, insert, or_, true, update

from portal.accounts.models import User
from portal.accounts.permissions import STAFF_ROLES
from portal.core.after_commit import send_after_commit
from portal.core.dates import utcnow
from portal.core.i18n import _l
from portal.core.markdown import markdown_excerpt
from portal.extensions import db
from portal.news.models import NewsItem, news_organisations
from portal.notifications import outbox, preferences
from portal.notifications.models import DigestEntry
from portal.projects.models import Project, ProjectParticipant, project_team

log = logging.getLogger(__name__)

KIND = "news"
TEMPLATE = "news_published"
# Stands in for each reader's own unsubscribe address in the text rendered once per language.
UNSUBSCRIBE_PLACEHOLDER = "UNSUBSCRIBE-ADDRESS-OF-THE-READER"
SUMMARY_LENGTH = 300


def subject_of(item: NewsItem):
    return _l("Nyhet: %(title)s", title=" ".join(item.title.split()))


def news_link(item: NewsItem) -> str:
    return f"{current_app.config['PORTAL_BASE_URL'].rstrip('/')}/nyheter/{item.id}"


def readers_of(item: NewsItem) -> ColumnElement[bool]:
    """The users `audience_includes` lets read the item, as a condition on User: the same rule
    turned around, to find whom to tell about it."""
    writers = User.role.in_(STAFF_ROLES)
    if item.audience == "everyone":
        return true()
    if item.audience == "organisations":
        return or_(
            writers,
            exists().where(
                news_organisations.c.news_id == item.id,
                news_organisations.c.organisation_id == User.organisation_id,
            ),
        )
    project_id = item.audience_project_id
    if item.audience == "project" and project_id is not None:
        return or_(
            writers,
            exists().where(Project.id == project_id, Project.lead_id == User.id),
            exists().where(
                project_team.c.project_id == project_id, project_team.c.user_id == User.id
            ),
            exists().where(
                ProjectParticipant.project_id == project_id,
                ProjectParticipant.organisation_id == User.organisation_id,
            ),
        )
    return writers


def announce_after_commit(news_ids: list[int]) -> None:
    """Once the publishing commits, a worker emails the readers (never twice per item)."""
    for news_id in news_ids:
        send_after_commit(fan_out_news, news_id)


# Defined here rather than in news/tasks.py because the service sends it and tasks.py imports
# the service. The name is the one it had in notifications, so messages on the broker still run.
@shared_task(name="portal.notifications.tasks.fan_out_news", acks_late=True)
def fan_out_news(news_id: int) -> int:
    """Email or digest a newly published item to its readers; returns how many were told."""
    return tell_readers(news_id)


def tell_readers(news_id: int) -> int:
    """Tell the item's readers (all but its author); returns how many were emailed or digested.
    Nothing happens for an item already announced, or no longer published."""
    claimed = db.session.execute(
        update(NewsItem)
        .where(
            NewsItem.id == news_id,
            NewsItem.status == "published",
            NewsItem.notified_at.is_(None),
        )
        .values(notified_at=utcnow(), updated_at=NewsItem.updated_at)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        return 0
    item = db.session.get(NewsItem, news_id, populate_existing=True)
    readers = db.session.execute(
        preferences.users_with_frequency(
            KIND,
            readers_of(item),
            User.id != item.author_id if item.author_id else true(),
            columns=[User.id, User.email, User.language],
        ).order_by(User.id)
    ).all()
    link = news_link(item)
    emails = _emails(item, link, [r for r in readers if r.frequency == "immediately"])
    entries = _digest_entries(
        item, link, [r for r in readers if r.frequency in ("daily", "weekly")]
    )
    outbox.queue_rendered_emails(emails)
    if entries:
        db.session.execute(insert(DigestEntry), entries)
    db.session.commit()
    log.info("News %s announced: %s emails, %s digest entries", news_id, len(emails), len(entries))
    return len(emails) + len(entries)


def _emails(item: NewsItem, link: str, readers) -> list[dict]:
    rendered = {}
    rows = []
    for reader in readers:
        language = reader.language or "sv"
        if language not in rendered:
            rendered[language] = _render(item, link, language)
        subject, text_body, html_body = rendered[language]
        url = preferences.unsubscribe_url(reader.id, [KIND])
        rows.append(
            {
                "recipient": reader.email,
                "subject": subject,
                "template": TEMPLATE,
                "text_body": text_body.replace(UNSUBSCRIBE_PLACEHOLDER, url),
                "html_body": html_body.replace(UNSUBSCRIBE_PLACEHOLDER, url),
                "list_unsubscribe": url,
            }
        )
    return rows


def _render(item: NewsItem, link: str, language: str) -> tuple[str, str, str]:
    context = {
        "base_url": current_app.config["PORTAL_BASE_URL"],
        "item": item,
        "link": link,
        "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
        "unsubscribe_labels": [preferences.KINDS[KIND]],
    }
    with force_locale(language):
        return (
            outbox.single_line(str(subject_of(item))),
            render_template(f"email/{TEMPLATE}.txt", **context),
            render_template(f"email/{TEMPLATE}.html", **context),
        )


def _digest_entries(item: NewsItem, link: str, readers) -> list[dict]:
    titles = {}
    summary = markdown_excerpt(item.body, SUMMARY_LENGTH)
    now = utcnow()
    entries = []
    for reader in readers:
        language = reader.language or "sv"
        if language not in titles:
            with force_locale(language):
                titles[language] = outbox.single_line(str(subject_of(item)))[:300]
        entries.append(
            {
                "user_id": reader.id,
                "kind": KIND,
                "frequency": reader.frequency,
                "title": titles[language],
                "summary": summary,
                "link": link,
                "created_at": now,
            }
        )
    return entries
