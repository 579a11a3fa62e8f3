"""A person's iCal feed: the events they may see and the open deadlines of their projects.

Event times are UTC; deadlines are all-day events. UIDs are stable per event and deadline, so
a calendar program updates an entry instead of adding it again."""

from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app, url_for
from flask_babel import force_locale, gettext
from icalendar import Calendar
from icalendar import Event as VEvent
from sqlalchemy import select

from portal.accounts.models import User
from portal.calendar.models import Event
from portal.calendar.queries import deadline_title
from portal.calendar.services import audience_includes
from portal.core.dates import STOCKHOLM, utcnow
from portal.core.markdown import markdown_text, plain_text
from portal.extensions import db
from portal.projects.dashboard import open_deadlines

# How far back the feed reaches; everything ahead is in it.
PAST_DAYS = 180
ROWS_LIMIT = 2000


def calendar_feed(reader: User) -> bytes:
    now = utcnow()
    since = now - timedelta(days=PAST_DAYS)
    calendar = Calendar()
    calendar.add("prodid", "-//Länsbibliotekets portal//Kalender//SV")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    with force_locale(reader.language):
        calendar.add("x-wr-calname", gettext("Länsbibliotekets portal"))
        for event in _events(reader, since):
            calendar.add_component(_vevent(event))
        for deadline in _deadlines(reader, since.astimezone(STOCKHOLM).date()):
            calendar.add_component(_deadline_vevent(deadline, now))
    return calendar.to_ical()


def _events(reader: User, since: datetime) -> list[Event]:
    return list(
        db.session.scalars(
            select(Event)
            .where(Event.ends_at >= since, audience_includes(reader))
            .order_by(Event.starts_at, Event.id)
            .limit(ROWS_LIMIT)
        )
    )


def _deadlines(reader: User, since: date) -> list:
    both = open_deadlines(since, date.max, reader)
    return db.session.execute(
        select(both).order_by(both.c.due_on, both.c.project_title).limit(ROWS_LIMIT)
    ).all()


def _uid(kind: str, row_id: int) -> str:
    host = urlsplit(current_app.config["PORTAL_BASE_URL"]).hostname or "portal"
    return f"{kind}-{row_id}@{host}"


def _link(endpoint: str, **values) -> str:
    base = current_app.config["PORTAL_BASE_URL"].rstrip("/")
    return base + url_for(endpoint, **values)


def _vevent(event: Event) -> VEvent:
    entry = VEvent()
    entry.add("uid", _uid("event", event.id))
    entry.add("dtstamp", event.updated_at)
    entry.add("last-modified", event.updated_at)
    entry.add("summary", plain_text(event.title))
    if event.all_day:
        entry.add("dtstart", event.starts_at.astimezone(STOCKHOLM).date())
        entry.add("dtend", event.ends_at.astimezone(STOCKHOLM).date() + timedelta(days=1))
    else:
        entry.add("dtstart", event.starts_at)
        entry.add("dtend", event.ends_at)
    if event.place:
        entry.add("location", plain_text(event.place))
    if event.description:
        entry.add("description", plain_text(markdown_text(event.description)))
    entry.add("url", _link("calendar.event", event_id=event.id))
    return entry


def _deadline_vevent(deadline, now: datetime) -> VEvent:
    entry = VEvent()
    entry.add("uid", _uid(deadline.source, deadline.id))
    entry.add("dtstamp", now)
    entry.add("summary", f"{deadline_title(deadline)} – {deadline.project_title}")
    entry.add("dtstart", deadline.due_on)
    entry.add("dtend", deadline.due_on + timedelta(days=1))
    entry.add("transp", "TRANSPARENT")
    entry.add("url", _link("projects.project", slug=deadline.slug))
    return entry
