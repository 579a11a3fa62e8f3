"""Beat's minute task for news: scheduled items whose time has come are published, and
their readers are told."""

from celery import shared_task

from portal.core.dates import utcnow
from portal.extensions import db
from portal.news import announce, services


@shared_task(name="portal.news.tasks.publish_due_news")
def publish_due_news() -> int:
    now = utcnow()
    published = services.publish_due_news(now)
    announce.announce_after_commit(sorted(set(published) | set(services.unannounced_news(now))))
    db.session.commit()
    return len(published)
