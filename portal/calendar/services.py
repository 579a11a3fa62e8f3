"""Who may read which event, and writing events (staff and admins).

Staff and admins write events and read all of them; everyone else reads the events aimed at
everyone, at their organisation or at a project of theirs, decided in the query."""

import logging
from datetime import datetime, time

from sqlalchemy import ColumnElement, exists, select, true
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.accounts.permissions import is_staff
from portal.calendar.models import Event, event_organisations
from portal.core.dates import STOCKHOLM
from portal.core.errors import ValidationError
from portal.core.i18n import _l
from portal.extensions import db
from portal.projects import audience as shared_audience
from portal.projects.audience import AudienceMessages, checked_audience

log = logging.getLogger(__name__)

AUDIENCE_MESSAGES = AudienceMessages(
    audience=_l("Välj vilka händelsen gäller."),
    organisations=_l("Välj minst en organisation som händelsen gäller."),
    project=_l("Välj projektet vars grupp och deltagare händelsen gäller."),
)


def _organisation_chosen(organisation_id: int) -> ColumnElement[bool]:
    return exists().where(
        event_organisations.c.event_id == Event.id,
        event_organisations.c.organisation_id == organisation_id,
    )


def audience_includes(user: User) -> ColumnElement[bool]:
    """Staff and admins read every event; others those aimed at them."""
    if is_staff(user):
        return true()
    return shared_audience.audience_includes(
        user,
        Event.audience,
        Event.audience_project_id,
        _organisation_chosen,
    )


def audience_aimed_at(user: User) -> ColumnElement[bool]:
    """Events aimed at the user's organisation or projects, not at everyone: "only mine"."""
    return shared_audience.audience_includes(
        user,
        Event.audience,
        Event.audience_project_id,
        _organisation_chosen,
    ) & (Event.audience != "everyone")


def readable_event(user: User, event_id: int) -> Event | None:
    return db.session.scalar(
        select(Event)
        .where(Event.id == event_id, audience_includes(user))
        .options(
            selectinload(Event.organisations),
            selectinload(Event.audience_project),
            selectinload(Event.author),
        )
    )


def save_event(
    actor: User,
    event: Event | None,
    *,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    all_day: bool,
    place: str,
    description: str,
    audience: str,
    organisation_ids: list[int],
    audience_project_id: int | None,
) -> Event:
    """Create or change an event. Times are aware; an all-day event keeps only its dates."""
    if all_day:
        starts_at = _swedish_midnight(starts_at)
        ends_at = _swedish_midnight(ends_at)
    if ends_at < starts_at:
        raise ValidationError(_l("Slutet kan inte ligga före början."), field="ends_at")
    chosen = checked_audience(audience, organisation_ids, audience_project_id, AUDIENCE_MESSAGES)
    if event is None:
        event = Event(author=actor)
        db.session.add(event)
    event.title = title.strip()
    event.starts_at = starts_at
    event.ends_at = ends_at
    event.all_day = all_day
    event.place = (place or "").strip()
    event.description = description or ""
    event.audience = chosen.audience
    event.organisations = chosen.organisations
    event.audience_project = chosen.project
    db.session.flush()
    log.info("Event %r saved by %s", event.title, actor.email)
    return event


def _swedish_midnight(moment: datetime) -> datetime:
    return datetime.combine(moment.astimezone(STOCKHOLM).date(), time(0), STOCKHOLM)


def delete_event(actor: User, event: Event) -> None:
    log.info("Event %r deleted by %s", event.title, actor.email)
    db.session.delete(event)
