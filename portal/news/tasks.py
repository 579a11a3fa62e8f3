"""Beat's minute task for news: scheduled items whose time has come are published."""

from celery import shared_task

from portal.extensions import db
from portal.news import services


@shared_task(name="portal.news.tasks.publish_due_news")
def publish_due_news() -> int:
    published = services.publish_due_news()
    db.session.commit()
    return len(published)
