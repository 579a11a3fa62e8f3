"""The demo's data files (regions/demo/): their dates of today read from the day the demo is
loaded."""

from datetime import UTC, date, datetime, timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from portal.accounts.models import User
from portal.calendar.models import DeadlineReminder, Event
from portal.calendar.reminders import send_due_reminders
from portal.core.dates import STOCKHOLM
from portal.demo import LIBRARIAN, load_demo
from portal.extensions import db
from portal.news.models import NewsItem
from portal.projects.dashboard import projects_for_dashboard
from portal.projects.models import PlanPeriod, Project


@freeze_time("2031-05-20 10:00:00")
def test_the_project_of_today_is_dated_from_the_day_the_demo_is_loaded(app):
    load_demo()
    project = db.session.scalar(select(Project).where(Project.slug == "bokstart-i-hela-lanet"))
    assert project.starts_on == date(2031, 5, 20) - timedelta(days=240)
    assert project.ends_on == date(2031, 5, 20) + timedelta(days=300)
    bokstart = db.session.scalar(select(Project).where(Project.slug == "bokstart-vasternorrland"))
    assert bokstart.starts_on == date(2016, 1, 1)


@freeze_time("2031-05-20 10:00:00")
def test_the_demo_news_and_events_are_timed_from_the_moment_it_is_loaded(app):
    load_demo()
    publish_at = {
        item.title: item.publish_at.astimezone(UTC) for item in db.session.scalars(select(NewsItem))
    }
    assert publish_at["Bokstart till Västernorrland!"] == datetime(2031, 5, 18, 10, tzinfo=UTC)
    tomorrow_0800 = datetime(2031, 5, 21, 8, tzinfo=STOCKHOLM).astimezone(UTC)
    assert publish_at["Anmälan till Littfest öppnar"] == tomorrow_0800
    event = db.session.scalar(select(Event).where(Event.title == "Littfest i Umeå"))
    assert event.starts_at.astimezone(STOCKHOLM) == datetime(2031, 6, 10, tzinfo=STOCKHOLM)


@freeze_time("2031-05-20 10:00:00")
def test_the_current_plan_runs_from_last_year_to_two_years_ahead_of_the_day_of_loading(app):
    load_demo()
    current = db.session.scalar(select(PlanPeriod).where(PlanPeriod.is_current))
    assert current.name == "Regional biblioteksplan 2030–2033"
    assert (current.starts_on, current.ends_on) == (date(2030, 1, 1), date(2033, 12, 31))


@pytest.mark.parametrize("loaded", ["2027-01-04 09:00:00", "2031-07-15 14:00:00"])
def test_on_any_day_the_demo_is_loaded_the_librarian_has_deadlines_and_reminders_go_out(
    app, loaded
):
    with freeze_time(loaded):
        load_demo()
        today = date.today()
        librarian = db.session.scalar(select(User).where(User.email == LIBRARIAN))
        dashboard = projects_for_dashboard(librarian, today)
        assert len(dashboard.deadlines) >= 3
        assert [row.status for row in dashboard.projects][:1] == ["running"]
        assert dashboard.plan_period == f"Regional biblioteksplan {today.year - 1}–{today.year + 2}"
        assert send_due_reminders(today) >= 1
        assert db.session.scalar(select(DeadlineReminder.id).limit(1)) is not None
