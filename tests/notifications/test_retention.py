"""Beat empties the bodies of emails older than OUTBOX_RETENTION_DAYS; who they went to, their
subject and status stay."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.celery_app import daily_at
from portal.core.dates import utcnow
from portal.core.errors import ValidationError
from portal.extensions import db
from portal.notifications import tasks
from portal.notifications.models import EmailAttachment
from portal.notifications.outbox import retry_email
from tests.notifications.factories import make_email

pytestmark = pytest.mark.both_databases


def aged(row, days: int):
    row.created_at = utcnow() - timedelta(days=days)
    db.session.commit()
    return row


def test_a_sent_email_older_than_the_retention_loses_its_bodies_and_attachments(app):
    old = aged(make_email("sent", "karin@kramfors.example"), days=91)
    old.attachments[:] = []
    db.session.add(
        EmailAttachment(
            email=old, filename="rapport.pdf", content_type="application/pdf", data=b"%"
        )
    )
    db.session.commit()

    assert tasks.forget_old_email_bodies() == 1

    db.session.refresh(old)
    assert (old.text_body, old.html_body) == ("", "")
    assert db.session.scalar(select(func.count()).select_from(EmailAttachment)) == 0
    assert (old.recipient, old.subject, old.status) == (
        "karin@kramfors.example",
        "Återställ ditt lösenord",
        "sent",
    )


def test_newer_emails_and_emails_still_waiting_keep_their_bodies(app):
    recent = aged(make_email("sent"), days=89)
    failed_long_ago = aged(make_email("failed"), days=200)
    waiting = aged(make_email("queued"), days=200)

    assert tasks.forget_old_email_bodies() == 1

    for row in (recent, failed_long_ago, waiting):
        db.session.refresh(row)
    assert "Karin Ek" in recent.text_body
    assert failed_long_ago.text_body == ""
    assert "Karin Ek" in waiting.text_body and waiting.html_body


def test_the_retention_is_configurable(app):
    app.config["OUTBOX_RETENTION_DAYS"] = 30
    row = aged(make_email("sent"), days=31)
    assert tasks.forget_old_email_bodies() == 1
    db.session.refresh(row)
    assert row.text_body == ""


def test_a_second_run_finds_nothing_more_to_empty(app):
    aged(make_email("sent"), days=91)
    assert tasks.forget_old_email_bodies() == 1
    assert tasks.forget_old_email_bodies() == 0


def test_a_failed_email_whose_body_is_gone_cannot_be_sent_again(app):
    row = aged(make_email("failed"), days=91)
    tasks.forget_old_email_bodies()
    db.session.refresh(row)
    with pytest.raises(ValidationError, match="raderad efter lagringstiden"):
        retry_email(row.id)


def test_beat_empties_old_bodies_once_a_day(app):
    entry = app.extensions["celery"].conf.beat_schedule["forget-old-email-bodies"]
    assert entry["task"] == "portal.notifications.tasks.forget_old_email_bodies"
    assert entry["schedule"] == daily_at("03:30")
