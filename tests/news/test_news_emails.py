"""A published news item reaches its readers once: by email now, or in their digest."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.core.dates import utcnow
from portal.extensions import db
from portal.news import announce
from portal.news import services as news_services
from portal.news import tasks as news_tasks
from portal.news.announce import fan_out_news
from portal.news.models import NewsItem
from portal.notifications import preferences
from portal.notifications.models import DigestEntry, OutboundEmail
from tests.factories import make_organisation, make_user
from tests.projects.factories import make_project
from tests.queries import counted_statements

pytestmark = pytest.mark.both_databases

BOKSTART = {
    "title": "Bokstart till Västernorrland!",
    "body": "Nu börjar **Bokstart** i Kramfors.",
    "status": "published",
    "audience": "everyone",
}


@pytest.fixture
def announced(monkeypatch):
    """The news ids whose fan-out task was sent (after the commit); nothing reaches a broker."""
    ids: list[int] = []
    task_class = type(fan_out_news._get_current_object())
    monkeypatch.setattr(
        task_class, "apply_async", lambda self, args=None, **options: ids.append(args[0])
    )
    return ids


def wants_news(frequency: str, **fields):
    user = make_user(**fields)
    preferences.save_frequencies(user, {"news": frequency})
    db.session.commit()
    return user


def published(**fields) -> NewsItem:
    item = NewsItem(**{**BOKSTART, "publish_at": utcnow(), **fields})
    db.session.add(item)
    db.session.commit()
    return item


def emailed() -> dict[str, OutboundEmail]:
    db.session.expire_all()
    return {row.recipient: row for row in db.session.scalars(select(OutboundEmail))}


def digested() -> dict[int, str]:
    return dict(db.session.execute(select(DigestEntry.user_id, DigestEntry.frequency)).all())


def test_publishing_sends_the_fan_out_task_after_the_commit(client, login_as, announced):
    login_as("staff")
    response = client.post("/nyheter/ny", data=BOKSTART)
    assert response.status_code == 302
    item = db.session.scalar(select(NewsItem))
    assert announced == [item.id]


def test_a_draft_or_a_scheduled_item_is_not_announced_yet(client, login_as, announced):
    login_as("staff")
    client.post("/nyheter/ny", data={**BOKSTART, "status": "draft"})
    client.post(
        "/nyheter/ny",
        data={**BOKSTART, "status": "scheduled", "publish_at": "2099-12-02 08:00"},
    )
    assert announced == []


def test_beat_announces_what_it_publishes_and_what_the_broker_missed(app, announced):
    due = published(status="scheduled", publish_at=utcnow() - timedelta(minutes=1))
    missed = published()
    old = published(publish_at=utcnow() - timedelta(days=3))
    done = published(notified_at=utcnow())

    news_tasks.publish_due_news()

    assert sorted(announced) == sorted([due.id, missed.id])
    assert old.id not in announced and done.id not in announced


def test_readers_get_an_email_or_a_digest_entry_as_they_chose(app):
    now = wants_news("immediately", email="direkt@ange.example")
    daily = wants_news("daily")
    weekly = wants_news("weekly")
    wants_news("off")
    item = published()

    assert fan_out_news(item.id) == 3

    (email,) = emailed().values()
    assert email.recipient == now.email
    assert email.subject == "Nyhet: Bokstart till Västernorrland!"
    assert "<strong>Bokstart</strong>" in email.html_body
    assert f"http://portal.test/nyheter/{item.id}" in email.text_body
    assert digested() == {daily.id: "daily", weekly.id: "weekly"}
    assert db.session.get(NewsItem, item.id).notified_at is not None


def test_each_reader_gets_their_own_unsubscribe_address_in_their_language(app, client):
    svensk = wants_news("immediately", email="svensk@ange.example")
    english = wants_news("immediately", email="english@ange.example", language="en")
    fan_out_news(published().id)

    rows = emailed()
    assert rows[english.email].subject == "News: Bokstart till Västernorrland!"
    assert "Read the news and comment in the portal" in rows[english.email].html_body
    assert "Läs nyheten och kommentera i portalen" in rows[svensk.email].html_body
    for user in (svensk, english):
        row = rows[user.email]
        assert row.list_unsubscribe == preferences.unsubscribe_url(user.id, ["news"])
        assert row.list_unsubscribe in row.text_body and row.list_unsubscribe in row.html_body
        assert announce.UNSUBSCRIBE_PLACEHOLDER not in row.text_body + row.html_body

    client.post(rows[english.email].list_unsubscribe.removeprefix("http://portal.test"))
    db.session.expire_all()
    assert preferences.frequencies_of(english)["news"] == "off"
    assert preferences.frequencies_of(svensk)["news"] == "immediately"


def test_an_item_is_never_sent_twice(client, login_as, app):
    reader = wants_news("immediately")
    item = published()

    fan_out_news(item.id)
    fan_out_news(item.id)
    staff = login_as("staff")
    form = {**BOKSTART, "status": "draft"}
    client.post(f"/nyheter/{item.id}/andra", data=form)
    client.post(f"/nyheter/{item.id}/andra", data={**form, "status": "published"})
    fan_out_news(item.id)

    assert list(emailed()) == [reader.email]
    assert staff.email not in emailed()


def test_the_author_is_not_told_about_their_own_news(app):
    author = wants_news("immediately", role="staff")
    fan_out_news(published(author=author).id)
    assert emailed() == {}


def test_a_draft_is_not_announced_even_if_the_task_runs(app):
    wants_news("immediately")
    item = published(status="draft")
    assert fan_out_news(item.id) == 0
    assert emailed() == {}


def test_news_for_some_organisations_reaches_them_and_the_county_staff_only(app):
    timra, ange = make_organisation("Timrå bibliotek"), make_organisation("Ånge bibliotek")
    inside = wants_news("immediately", organisation=timra)
    wants_news("immediately", organisation=ange)
    staff = wants_news("immediately", role="staff")
    item = published(audience="organisations", organisations=[timra])

    fan_out_news(item.id)

    assert sorted(emailed()) == sorted([inside.email, staff.email])


def test_news_for_a_project_reaches_its_lead_team_and_participating_libraries(app):
    kramfors = make_organisation("Kramfors bibliotek")
    lead = wants_news("immediately", email="lead@x.example")
    team = wants_news("immediately", email="team@x.example")
    library = wants_news("immediately", email="library@x.example", organisation=kramfors)
    wants_news("immediately", email="outside@x.example", organisation=make_organisation())
    project = make_project("Bokstart", lead=lead, team=[team], participants=[kramfors])
    item = published(audience="project", audience_project=project)

    fan_out_news(item.id)

    assert sorted(emailed()) == sorted([lead.email, team.email, library.email])


def test_readers_are_exactly_those_who_may_read_the_item(app):
    """readers_of turns audience_includes around: both must agree on every person."""
    timra, ange = make_organisation("Timrå bibliotek"), make_organisation("Ånge bibliotek")
    people = [
        make_user(organisation=timra),
        make_user(organisation=ange),
        make_user(),
        make_user(role="staff"),
        make_user(role="admin", organisation=ange),
    ]
    project = make_project("Bokstart", lead=people[2], participants=[timra])
    items = [
        published(),
        published(audience="organisations", organisations=[ange]),
        published(audience="project", audience_project=project),
    ]
    for item in items:
        readers = set(db.session.scalars(select(User.id).where(announce.readers_of(item))))
        allowed = {
            person.id
            for person in people
            if db.session.scalar(
                select(NewsItem.id).where(
                    NewsItem.id == item.id, news_services.audience_includes(person)
                )
            )
        }
        assert readers == allowed, item.audience


def test_fan_out_writes_the_outbox_in_a_fixed_number_of_statements(app):
    for n in range(30):
        wants_news("immediately" if n % 2 else "daily")
    item = published()
    with counted_statements() as statements:
        fan_out_news(item.id)
    assert len(emailed()) == 15
    assert len(statements) <= 8, statements
