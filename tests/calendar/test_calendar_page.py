"""The calendar page: events and open deadlines by month, in Swedish dates."""

import re
from datetime import date

import pytest
from freezegun import freeze_time

from tests.calendar.factories import make_event, make_milestone, make_report_deadline, swedish
from tests.factories import make_organisation, make_user
from tests.projects.factories import make_project
from tests.queries import counted_statements

pytestmark = pytest.mark.both_databases

TODAY = "2026-12-01 09:00:00"


def month_section(page: str, month: str) -> str:
    """The HTML of one month's section, e.g. month_section(page, "2026-12")."""
    match = re.search(rf'<section class="month" data-month="{month}">(.*?)</section>', page, re.S)
    assert match, f"no section for {month}"
    return match.group(1)


@freeze_time(TODAY)
def test_events_and_deadlines_are_listed_under_their_swedish_month(client, login_as):
    project = make_project("Bokstart i hela länet", slug="bokstart-i-hela-lanet")
    make_event(
        title="Nyårsvaka",
        starts_at=swedish(2026, 12, 31, 23, 30),
        ends_at=swedish(2027, 1, 1, 0, 30),
    )
    # 00:30 on New Year's Day in Sweden is still 2026 in UTC: it belongs to January.
    make_event(
        title="Nyårsfrukost", starts_at=swedish(2027, 1, 1, 0, 30), ends_at=swedish(2027, 1, 1, 2)
    )
    make_milestone(project, date(2027, 1, 15), title="Bokpaket till Ånge")
    make_report_deadline(project, date(2027, 2, 26), case_number="KUR 2026/4711")
    login_as("member")
    page = client.get("/kalender").get_data(as_text=True)

    december, january, february = (
        month_section(page, m) for m in ("2026-12", "2027-01", "2027-02")
    )
    assert "December 2026" in december and "Nyårsvaka" in december
    assert "Nyårsfrukost" in january and "Nyårsfrukost" not in december
    assert "Milstolpe: Bokpaket till Ånge" in january
    assert 'href="/projekt/bokstart-i-hela-lanet"' in january
    assert "Lägesrapport (KUR 2026/4711)" in february
    assert "2026-12-31" in december and "23:30" in december


@freeze_time(TODAY)
def test_done_milestones_and_submitted_reports_are_not_listed(client, login_as):
    project = make_project()
    make_milestone(project, date(2026, 12, 10), title="Klar milstolpe", done_on=date(2026, 12, 1))
    make_milestone(project, date(2026, 12, 11), title="Öppen milstolpe")
    make_report_deadline(
        project, date(2026, 12, 12), case_number="KUR 1/1", submitted_on=date(2026, 12, 1)
    )
    login_as("member")
    page = client.get("/kalender").get_data(as_text=True)
    assert "Öppen milstolpe" in page
    assert "Klar milstolpe" not in page and "KUR 1/1" not in page


@freeze_time(TODAY)
def test_only_mine_shows_my_projects_deadlines_and_events_aimed_at_me(client, login_as):
    kramfors = make_organisation("Kramfors bibliotek")
    mine = make_project("Bokstart Kramfors", participants=[kramfors])
    theirs = make_project("Språkcaféer i Sundsvall")
    make_milestone(mine, date(2026, 12, 10), title="Min milstolpe")
    make_milestone(theirs, date(2026, 12, 10), title="Deras milstolpe")
    make_event(
        title="För alla", starts_at=swedish(2026, 12, 3, 10), ends_at=swedish(2026, 12, 3, 12)
    )
    make_event(
        title="För Kramfors",
        audience="organisations",
        organisations=[kramfors],
        starts_at=swedish(2026, 12, 4, 10),
        ends_at=swedish(2026, 12, 4, 12),
    )
    login_as("member", organisation=kramfors)
    everything = client.get("/kalender").get_data(as_text=True)
    assert all(
        title in everything
        for title in ("Min milstolpe", "Deras milstolpe", "För alla", "För Kramfors")
    )
    mine_only = client.get("/kalender?mina=1").get_data(as_text=True)
    assert "Min milstolpe" in mine_only and "För Kramfors" in mine_only
    assert "Deras milstolpe" not in mine_only and "För alla" not in mine_only


@freeze_time(TODAY)
def test_the_calendar_shows_only_events_or_only_deadlines(client, login_as):
    make_milestone(make_project(), date(2026, 12, 10), title="En milstolpe")
    make_event(
        title="En träff", starts_at=swedish(2026, 12, 3, 10), ends_at=swedish(2026, 12, 3, 12)
    )
    login_as("member")
    events = client.get("/kalender?visa=handelser").get_data(as_text=True)
    assert "En träff" in events and "En milstolpe" not in events
    deadlines = client.get("/kalender?visa=deadlines").get_data(as_text=True)
    assert "En milstolpe" in deadlines and "En träff" not in deadlines


@freeze_time(TODAY)
def test_later_months_are_a_link_away_and_a_garbled_month_shows_this_one(client, login_as):
    make_event(
        title="Littfest", starts_at=swedish(2027, 3, 11, 10), ends_at=swedish(2027, 3, 11, 16)
    )
    login_as("member")
    first = client.get("/kalender").get_data(as_text=True)
    assert "Littfest" not in first
    later = re.search(r'href="([^"]+)">Senare månader', first).group(1).replace("&amp;", "&")
    assert "fran=2027-03" in later
    assert "Littfest" in client.get(later).get_data(as_text=True)
    for garbled in ("2027-13", "' OR 1=1 --", "9999-01", "x" * 500):
        response = client.get("/kalender", query_string={"fran": garbled, "visa": garbled})
        assert response.status_code == 200
        assert "December 2026" in response.get_data(as_text=True)


@freeze_time(TODAY)
def test_an_event_running_into_the_months_shown_is_listed_on_their_first_day(client, login_as):
    make_event(
        title="Utställning om Bokstart",
        starts_at=swedish(2026, 11, 20),
        ends_at=swedish(2026, 12, 20),
        all_day=True,
    )
    login_as("member")
    december = month_section(client.get("/kalender").get_data(as_text=True), "2026-12")
    assert "Utställning om Bokstart" in december
    assert "2026-11-20 – 2026-12-20" in december


@freeze_time(TODAY)
def test_the_calendar_runs_as_many_statements_for_many_rows_as_for_few(client, login_as):
    login_as("member", organisation=make_organisation())

    def add(n):
        project = make_project(lead=make_user())
        make_milestone(project, date(2026, 12, 1 + n % 28), title=f"Milstolpe {n}")
        make_report_deadline(project, date(2027, 1, 1 + n % 28))
        make_event(
            title=f"Händelse {n}",
            starts_at=swedish(2026, 12, 1 + n % 28, 10),
            ends_at=swedish(2026, 12, 1 + n % 28, 11),
            audience="organisations",
            organisations=[make_organisation()],
            author=make_user(),
        )
        make_event(
            title=f"Allas {n}", starts_at=swedish(2027, 2, 1, 10), ends_at=swedish(2027, 2, 1, 11)
        )

    add(0)
    with counted_statements() as few:
        client.get("/kalender")
    for n in range(1, 15):
        add(n)
    with counted_statements() as many:
        page = client.get("/kalender").get_data(as_text=True)
    assert "Milstolpe 14" in page and "Allas 14" in page
    assert len(few) == len(many)
