"""Events and deadlines for the calendar's tests."""

from datetime import date, datetime

from portal.calendar.models import Event
from portal.core.dates import STOCKHOLM
from portal.extensions import db
from portal.projects.models import Milestone, ReportDeadline
from tests.projects.funding_factories import make_grant


def swedish(year, month, day, hour=0, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def make_event(**fields) -> Event:
    values = {
        "title": "Littfest i Umeå",
        "starts_at": swedish(2027, 3, 11, 10),
        "ends_at": swedish(2027, 3, 11, 16),
        "place": "Kulturväven, Umeå",
        "description": "Länsbiblioteket åker dit.",
        "audience": "everyone",
        **fields,
    }
    event = Event(**values)
    db.session.add(event)
    db.session.commit()
    return event


def make_milestone(project, due_on: date, title="Utbildning för BVC-personal", **fields):
    milestone = Milestone(project=project, title=title, due_on=due_on, **fields)
    db.session.add(milestone)
    db.session.commit()
    return milestone


def make_report_deadline(project, due_on: date, kind="progress_report", **fields):
    grant = make_grant(project, case_number=fields.pop("case_number", "KUR 2026/4711"))
    deadline = ReportDeadline(grant=grant, kind=kind, due_on=due_on, **fields)
    db.session.add(deadline)
    db.session.commit()
    return deadline
