"""The calendar page: events and deadlines by month, in Swedish dates.

Two statements whatever the number of rows: the events the reader may see that touch the
months shown, and the open deadlines due in them (every project's, or only the reader's)."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask_babel import format_date, gettext
from sqlalchemy import select

from portal.accounts.models import User
from portal.calendar.models import Event
from portal.calendar.services import audience_aimed_at, audience_includes
from portal.core.dates import STOCKHOLM, utcnow
from portal.core.i18n import _l
from portal.extensions import db
from portal.projects.dashboard import open_deadlines
from portal.projects.models import DEADLINE_KINDS

MONTHS_SHOWN = 3
ROWS_LIMIT = 500
SHOW = {
    "allt": _l("Händelser och deadlines"),
    "handelser": _l("Bara händelser"),
    "deadlines": _l("Bara deadlines"),
}
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass
class Entry:
    """One row of the calendar: an event (kind "event") or a deadline ("milestone" or a
    report's kind). `day` is the Swedish date it is listed under."""

    kind: str
    day: date
    title: str
    event_id: int | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    all_day: bool = True
    place: str = ""
    slug: str | None = None
    project_title: str | None = None

    @property
    def is_event(self) -> bool:
        return self.kind == "event"

    @property
    def sort_key(self) -> tuple:
        start = self.starts_at.astimezone(STOCKHOLM).time() if self.starts_at else time(0)
        return (self.day, not self.all_day, start, self.title)


@dataclass
class Month:
    first: date
    entries: list[Entry] = field(default_factory=list)

    @property
    def name(self) -> str:
        return format_date(self.first, "LLLL yyyy").capitalize()

    @property
    def key(self) -> str:
        return self.first.strftime("%Y-%m")


@dataclass
class CalendarPage:
    months: list[Month]
    show: str
    only_mine: bool
    truncated: bool

    @property
    def start(self) -> str:
        return self.months[0].key

    @property
    def earlier(self) -> str:
        return add_months(self.months[0].first, -MONTHS_SHOWN).strftime("%Y-%m")

    @property
    def later(self) -> str:
        return add_months(self.months[0].first, MONTHS_SHOWN).strftime("%Y-%m")

    @property
    def is_empty(self) -> bool:
        return not any(month.entries for month in self.months)


def add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def first_month(value: str | None, today: date) -> date:
    """The month asked for as 2026-12, or this month when it is missing or not a month."""
    match = MONTH.match(value or "")
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return date(year, month, 1)
    return today.replace(day=1)


def swedish_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), STOCKHOLM)


def calendar_for(
    user: User, month: str | None = None, show: str = "allt", only_mine: bool = False
) -> CalendarPage:
    today = utcnow().astimezone(STOCKHOLM).date()
    first = first_month(month, today)
    show = show if show in SHOW else "allt"
    months = [Month(add_months(first, n)) for n in range(MONTHS_SHOWN)]
    end = add_months(first, MONTHS_SHOWN)
    entries: list[Entry] = []
    truncated = False
    if show in ("allt", "handelser"):
        events = _events(user, first, end, only_mine)
        truncated |= len(events) == ROWS_LIMIT
        entries += events
    if show in ("allt", "deadlines"):
        deadlines = _deadlines(user, first, end, only_mine)
        truncated |= len(deadlines) == ROWS_LIMIT
        entries += deadlines
    by_month = {month.key: month for month in months}
    for entry in sorted(entries, key=lambda entry: entry.sort_key):
        by_month[entry.day.strftime("%Y-%m")].entries.append(entry)
    return CalendarPage(months=months, show=show, only_mine=only_mine, truncated=truncated)


def _events(user: User, first: date, end: date, only_mine: bool) -> list[Entry]:
    """Events that touch the months, listed on their first day (or the first day shown)."""
    conditions = [
        Event.starts_at < swedish_midnight(end),
        Event.ends_at >= swedish_midnight(first),
        audience_aimed_at(user) if only_mine else audience_includes(user),
    ]
    rows = db.session.execute(
        select(
            Event.id,
            Event.title,
            Event.starts_at,
            Event.ends_at,
            Event.all_day,
            Event.place,
        )
        .where(*conditions)
        .order_by(Event.starts_at, Event.id)
        .limit(ROWS_LIMIT)
    ).all()
    return [
        Entry(
            kind="event",
            day=max(row.starts_at.astimezone(STOCKHOLM).date(), first),
            title=row.title,
            event_id=row.id,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            all_day=row.all_day,
            place=row.place,
        )
        for row in rows
    ]


def _deadlines(user: User, first: date, end: date, only_mine: bool) -> list[Entry]:
    both = open_deadlines(first, date.fromordinal(end.toordinal() - 1), user if only_mine else None)
    rows = db.session.execute(
        select(both).order_by(both.c.due_on, both.c.project_title).limit(ROWS_LIMIT)
    ).all()
    return [
        Entry(
            kind=row.kind,
            day=row.due_on,
            title=row.title,
            slug=row.slug,
            project_title=row.project_title,
        )
        for row in rows
    ]


def deadline_title(deadline) -> str:
    """ "Milstolpe: Utbildning för BVC-personal", "Lägesrapport KUR 2025/4711": for a row of
    open_deadlines or an Entry, in the current language."""
    if deadline.kind == "milestone":
        return gettext("Milstolpe: %(title)s", title=deadline.title)
    kind = str(DEADLINE_KINDS.get(deadline.kind, deadline.kind))
    return f"{kind} ({deadline.title})" if deadline.title else kind


def event_when(starts_at: datetime, ends_at: datetime, all_day: bool, on_day: date | None = None):
    """When an event is, in Swedish time: "10:00–15:00" on the day it is listed under (with its
    date when `on_day` is another day or not given), "heldag", or the days it runs."""
    start, end = starts_at.astimezone(STOCKHOLM), ends_at.astimezone(STOCKHOLM)
    if all_day and start.date() != end.date():
        return f"{start:%Y-%m-%d} – {end:%Y-%m-%d}"
    first = "" if on_day == start.date() else f"{start:%Y-%m-%d} "
    if all_day:
        return first + gettext("heldag")
    if start.date() == end.date():
        return f"{first}{start:%H:%M}–{end:%H:%M}"
    return f"{first}{start:%H:%M} – {end:%Y-%m-%d %H:%M}"
