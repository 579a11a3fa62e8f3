"""Daily and weekly digests: one email per person with what waits, nothing when nothing does."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.notifications import digests, outbox, preferences, tasks
from portal.notifications.models import DigestEntry, OutboundEmail
from tests.factories import make_user
from tests.notifications.test_preferences import notify_about_update

# The outbox's status writer records deliveries on a connection of its own: real commits.
pytestmark = [pytest.mark.both_databases, pytest.mark.commits]


def notify_news(users, title: str):
    return preferences.notify(
        users,
        "news",
        "news_published",
        f"Nyhet: {title}",
        link="http://portal.test/nyheter/1",
        summary=f"Om {title}.",
        item=type("Item", (), {"title": title, "body": ""})(),
    )


def emails() -> list[OutboundEmail]:
    db.session.expire_all()
    return db.session.scalars(select(OutboundEmail).order_by(OutboundEmail.id)).all()


def person(frequency: str, **fields):
    user = make_user(**fields)
    preferences.save_frequencies(user, dict.fromkeys(preferences.KINDS, frequency))
    db.session.commit()
    return user


def test_the_daily_digest_is_one_email_with_everything_that_waits_grouped_by_kind(app, dispatched):
    karin = person("daily", email="karin@kramfors.example", name="Karin Ek")
    notify_news([karin], "Bokstart till Västernorrland!")
    notify_news([karin], "Littfest i Umeå")
    notify_about_update([karin], summary="Sagostund på BVC.")
    db.session.commit()

    assert tasks.send_digests("daily") == 1

    (email,) = emails()
    assert email.recipient == "karin@kramfors.example"
    assert email.subject == "Din dagliga sammanfattning från portalen"
    text = email.text_body
    assert "Hej Karin Ek!" in text
    assert text.index("Nyheter") < text.index("Bokstart") < text.index("Littfest")
    assert text.index("Littfest") < text.index("Uppdateringar i projekt") < text.index("Sagostund")
    assert "http://portal.test/nyheter/1" in text
    assert '<a href="http://portal.test/projekt/bokstart/uppdateringar">' in email.html_body
    assert email.list_unsubscribe.startswith("http://portal.test/avregistrera/")
    assert dispatched == [email.id]
    assert db.session.scalars(select(DigestEntry)).all() == []


def test_the_digest_has_an_unsubscribe_link_per_kind_and_one_for_all_in_the_header(app, client):
    karin = person("daily")
    notify_news([karin], "Littfest")
    notify_about_update([karin])
    db.session.commit()
    digests.send_digests("daily")
    (email,) = emails()
    news_link = preferences.unsubscribe_url(karin.id, ["news"])
    assert news_link in email.text_body and news_link in email.html_body

    client.post(email.list_unsubscribe.removeprefix("http://portal.test"))

    db.session.expire_all()
    chosen = preferences.frequencies_of(karin)
    assert (chosen["news"], chosen["project_updates"], chosen["documents"]) == (
        "off",
        "off",
        "daily",
    )


def test_nothing_is_sent_when_nothing_is_new(app, dispatched):
    person("daily")
    assert digests.send_digests("daily") == 0
    assert emails() == []
    assert dispatched == []


def test_running_the_digest_twice_sends_it_once(app, dispatched):
    karin = person("daily")
    notify_news([karin], "Littfest")
    db.session.commit()

    assert digests.send_digests("daily") == 1
    assert digests.send_digests("daily") == 0
    assert len(emails()) == 1


def test_the_daily_run_leaves_the_weekly_entries_for_the_weekly_digest(app, dispatched):
    daily, weekly = person("daily"), person("weekly", language="en", name="Anna Berg")
    notify_news([daily, weekly], "Littfest")
    db.session.commit()

    assert digests.send_digests("daily") == 1
    assert [email.recipient for email in emails()] == [daily.email]

    assert digests.send_digests("weekly") == 1
    weekly_email = emails()[-1]
    assert weekly_email.recipient == weekly.email
    assert weekly_email.subject == "Your weekly summary from the portal"
    assert "Hello Anna Berg," in weekly_email.text_body
    assert "News" in weekly_email.text_body


def test_a_digest_entry_of_someone_deactivated_is_dropped_without_an_email(app, dispatched):
    karin = person("daily")
    notify_news([karin], "Littfest")
    karin.active = False
    db.session.commit()

    assert digests.send_digests("daily") == 0
    assert emails() == []
    assert db.session.scalars(select(DigestEntry)).all() == []


def test_the_digest_is_delivered_as_a_real_email(app, dispatched, deliver_outbox, sent_messages):
    karin = person("weekly")
    notify_news([karin], "Littfest")
    db.session.commit()
    digests.send_digests("weekly")

    (row,) = deliver_outbox()
    assert row.status == "sent"
    (message,) = sent_messages()
    assert message["Subject"] == "Din veckosammanfattning från portalen"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert outbox.PENDING_KEY not in db.session.info
