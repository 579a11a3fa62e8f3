"""The iCal feed: a secret address per person, holding exactly what that person may see."""

import re
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

from freezegun import freeze_time
from icalendar import Calendar

from portal.core.dates import utcnow
from portal.extensions import db
from tests.calendar.factories import make_event, make_milestone, make_report_deadline, swedish
from tests.factories import make_organisation
from tests.projects.factories import make_project

TODAY = "2026-12-01 09:00:00"


def feed_path(client) -> str:
    page = client.post("/kalender/flode", follow_redirects=True).get_data(as_text=True)
    address = re.search(r'id="feed-address" type="text" readonly value="([^"]+)"', page).group(1)
    assert address.endswith(".ics")
    return urlsplit(address).path


def read_feed(client, path: str) -> dict:
    """The feed's VEVENTs by UID."""
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.data)
    return {str(entry["UID"]): entry for entry in calendar.walk("VEVENT")}


@freeze_time(TODAY)
def test_the_feed_holds_exactly_the_events_and_deadlines_the_reader_may_see(client, login_as):
    ange = make_organisation("Ånge bibliotek")
    timra = make_organisation("Timrå bibliotek")
    mine = make_project("Bokstart i Ånge", participants=[ange], slug="bokstart-i-ange")
    theirs = make_project("Språkcaféer i Timrå", participants=[timra])
    for_all = make_event(title="Littfest i Umeå")
    for_ange = make_event(title="Träff i Ånge", audience="organisations", organisations=[ange])
    make_event(title="Träff i Timrå", audience="organisations", organisations=[timra])
    for_project = make_event(title="Bokstartsträff", audience="project", audience_project=mine)
    make_event(title="Språkcaféträff", audience="project", audience_project=theirs)
    milestone = make_milestone(mine, date(2026, 12, 15), title="Bokpaket klara")
    make_milestone(mine, date(2026, 12, 16), title="Redan klar", done_on=date(2026, 11, 30))
    make_milestone(theirs, date(2026, 12, 15), title="Timrås milstolpe")
    report = make_report_deadline(mine, date(2027, 1, 31), case_number="KUR 2026/4711")
    make_report_deadline(theirs, date(2027, 1, 31), case_number="KUR 2026/9999")

    login_as("member", organisation=ange)
    path = feed_path(client)
    client.post("/logga-ut")
    entries = read_feed(client, path)

    assert set(entries) == {
        f"event-{for_all.id}@portal.test",
        f"event-{for_ange.id}@portal.test",
        f"event-{for_project.id}@portal.test",
        f"milestone-{milestone.id}@portal.test",
        f"report-{report.id}@portal.test",
    }
    milestone_entry = entries[f"milestone-{milestone.id}@portal.test"]
    assert str(milestone_entry["SUMMARY"]) == "Milstolpe: Bokpaket klara – Bokstart i Ånge"
    assert milestone_entry.decoded("DTSTART") == date(2026, 12, 15)
    assert milestone_entry.decoded("DTEND") == date(2026, 12, 16)
    assert str(milestone_entry["URL"]) == "http://portal.test/projekt/bokstart-i-ange"
    report_entry = entries[f"report-{report.id}@portal.test"]
    assert str(report_entry["SUMMARY"]) == "Lägesrapport (KUR 2026/4711) – Bokstart i Ånge"


@freeze_time(TODAY)
def test_event_times_are_utc_and_an_all_day_event_has_dates(client, login_as):
    timed = make_event(starts_at=swedish(2027, 3, 11, 10), ends_at=swedish(2027, 3, 11, 16))
    all_day = make_event(
        title="Bokmässan",
        starts_at=swedish(2027, 9, 23),
        ends_at=swedish(2027, 9, 26),
        all_day=True,
    )
    login_as("member")
    entries = read_feed(client, feed_path(client))
    timed_entry = entries[f"event-{timed.id}@portal.test"]
    assert timed_entry.decoded("DTSTART") == datetime(2027, 3, 11, 9, tzinfo=UTC)
    assert timed_entry.decoded("DTEND") == datetime(2027, 3, 11, 15, tzinfo=UTC)
    assert b"DTSTART:20270311T090000Z" in timed_entry.to_ical()
    assert str(timed_entry["LOCATION"]) == "Kulturväven, Umeå"
    assert str(timed_entry["URL"]) == f"http://portal.test/kalender/{timed.id}"
    assert "DTSTAMP" in timed_entry
    all_day_entry = entries[f"event-{all_day.id}@portal.test"]
    assert all_day_entry.decoded("DTSTART") == date(2027, 9, 23)
    assert all_day_entry.decoded("DTEND") == date(2027, 9, 27)  # the day after the last


@freeze_time(TODAY)
def test_an_event_keeps_its_uid_when_it_is_changed(client, login_as):
    event = make_event()
    login_as("staff")
    path = feed_path(client)
    before = read_feed(client, path)
    client.post(
        f"/kalender/{event.id}/andra",
        data={
            "title": "Littfest 2027",
            "starts_at": "2027-03-12 10:00",
            "ends_at": "2027-03-12 16:00",
            "audience": "everyone",
        },
    )
    after = read_feed(client, path)
    assert set(before) == set(after) == {f"event-{event.id}@portal.test"}
    assert str(after[f"event-{event.id}@portal.test"]["SUMMARY"]) == "Littfest 2027"


@freeze_time(TODAY)
def test_events_long_past_are_left_out_of_the_feed(client, login_as):
    make_event(
        title="Förra årets Littfest",
        starts_at=swedish(2025, 3, 11, 10),
        ends_at=swedish(2025, 3, 11, 16),
    )
    login_as("member")
    assert read_feed(client, feed_path(client)) == {}


def test_script_in_an_event_does_not_reach_the_feed(client, login_as):
    make_event(
        title="<b>Littfest</b>",
        description='Barn & unga <script>alert(1)</script><img src=x onerror="alert(2)">',
        starts_at=utcnow() + timedelta(days=3),
        ends_at=utcnow() + timedelta(days=3, hours=2),
    )
    login_as("member")
    (entry,) = read_feed(client, feed_path(client)).values()
    assert str(entry["SUMMARY"]) == "Littfest"
    assert str(entry["DESCRIPTION"]) == "Barn & unga"


def test_a_renewed_or_closed_feed_address_stops_working(client, login_as):
    login_as("member")
    first = feed_path(client)
    second = feed_path(client)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    client.post("/kalender/flode/stang")
    assert client.get(second).status_code == 404


def test_the_news_feed_and_the_calendar_feed_have_their_own_addresses(client, login_as):
    login_as("member")
    calendar = feed_path(client)
    news_page = client.post("/nyheter/flode", follow_redirects=True).get_data(as_text=True)
    news = urlsplit(re.search(r'readonly value="([^"]+)"', news_page).group(1)).path
    token = calendar.rsplit("/", 1)[1].removesuffix(".ics")
    assert client.get(f"/nyheter/flode/{token}.xml").status_code == 404
    assert client.get(news).status_code == 200
    assert client.get(calendar).status_code == 200  # renewing the news feed left this alone
    client.post("/nyheter/flode/stang")
    assert client.get(calendar).status_code == 200


def test_a_made_up_or_deactivated_readers_address_is_not_found(client, login_as):
    assert client.get("/kalender/flode/gissat.ics").status_code == 404
    user = login_as("member")
    path = feed_path(client)
    user.active = False
    db.session.commit()
    assert client.get(path).status_code == 404


def test_the_new_address_is_shown_once(client, login_as):
    login_as("member")
    assert feed_path(client)
    again = client.get("/kalender/flode").get_data(as_text=True)
    assert 'id="feed-address"' not in again
    assert "Du har en flödesadress." in again
