"""Beat in a real worker publishes scheduled news whose time has come."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.core.dates import utcnow
from portal.extensions import db
from portal.news.models import NewsItem
from proof.processes import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.both_databases]


def test_beat_publishes_scheduled_news_whose_time_has_come(app, celery_worker):
    due = NewsItem(
        title="Bokstart till Västernorrland!",
        body="Nu börjar Bokstart.",
        status="scheduled",
        publish_at=utcnow() - timedelta(seconds=1),
    )
    later = NewsItem(
        title="Littfest",
        body="Anmälan öppnar i morgon.",
        status="scheduled",
        publish_at=utcnow() + timedelta(days=1),
    )
    db.session.add_all([due, later])
    db.session.commit()
    celery_worker()

    def statuses():
        db.session.rollback()
        found = dict(db.session.execute(select(NewsItem.title, NewsItem.status)).all())
        return found if found["Bokstart till Västernorrland!"] == "published" else None

    assert wait_until(statuses, message="the due item to be published")["Littfest"] == "scheduled"
