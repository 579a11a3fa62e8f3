"""The demo's data files: shipped with the package, and their dates of today read from the day
the demo is loaded."""

import tomllib
from datetime import UTC, date, datetime, timedelta
from fnmatch import fnmatch
from pathlib import Path

from freezegun import freeze_time
from sqlalchemy import select

from portal.calendar.models import Event
from portal.core.dates import STOCKHOLM
from portal.demo import load_demo
from portal.extensions import db
from portal.news.models import NewsItem
from portal.projects.models import Project

ROOT = Path(__file__).parents[2]
DEMO = ROOT / "portal" / "demo"


def test_every_demo_data_file_is_package_data_so_an_install_has_it():
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    patterns = settings["tool"]["setuptools"]["package-data"]["portal.demo"]
    files = [path.relative_to(DEMO).as_posix() for path in (DEMO / "data").iterdir()]
    assert files
    assert [name for name in files if not any(fnmatch(name, p) for p in patterns)] == []


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
