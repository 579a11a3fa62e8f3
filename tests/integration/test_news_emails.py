"""A real worker, Redis and SMTP server: publishing news emails its readers once, with a working
one-click unsubscribe in the headers; a 451 in the middle of the batch delays, never drops."""

from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.news.models import NewsItem
from portal.notifications import preferences
from portal.notifications.models import OutboundEmail
from proof.processes import wait_until
from tests.factories import make_user

pytestmark = [pytest.mark.integration, pytest.mark.both_databases]

READERS = 30


def statuses() -> list[str]:
    db.session.rollback()
    return list(db.session.scalars(select(OutboundEmail.status)))


def test_published_news_reaches_each_reader_once_and_one_click_switches_it_off(
    app, client, login_as, celery_worker, smtp_server
):
    readers = [make_user(email=f"lasare{n}@ange.example") for n in range(READERS)]
    for reader in readers:
        preferences.save_frequencies(reader, {"news": "immediately"})
    db.session.commit()
    smtp_server.fail_next(1, "451 4.3.0 try later")
    # The worker signs the unsubscribe address with the secret the web side checks it with.
    celery_worker(SECRET_KEY=app.config["SECRET_KEY"])
    login_as("staff")

    response = client.post(
        "/nyheter/ny",
        data={
            "title": "Bokstart till Västernorrland!",
            "body": "Nu börjar Bokstart.",
            "status": "published",
            "audience": "everyone",
        },
    )
    assert response.status_code == 302

    wait_until(
        lambda: statuses().count("sent") == READERS, timeout=60, message="every reader's email"
    )
    delivered = smtp_server.delivered
    assert sorted(e.rcpt_tos[0] for e in delivered) == sorted(r.email for r in readers)
    assert len(smtp_server.envelopes) == READERS + 1, "the 451 was offered again, once"
    message = delivered[0].message
    assert message["Subject"] == "Nyhet: Bokstart till Västernorrland!"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message["List-Unsubscribe"].strip("<>")
    assert url in message.get_body(("plain",)).get_content()

    client.post("/logga-ut")
    assert client.post(urlsplit(url).path, data={}).status_code == 200
    db.session.rollback()
    owner = next(r for r in readers if r.email == delivered[0].rcpt_tos[0])
    assert preferences.frequencies_of(owner)["news"] == "off"
    assert db.session.scalar(select(NewsItem.notified_at)) is not None
