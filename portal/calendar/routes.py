"""Calendar pages: the months, one event, writing events (staff and admins), the iCal feed."""

from flask import Response, abort, render_template, request, url_for
from flask_login import current_user, login_required

from portal.accounts import feeds
from portal.accounts.permissions import is_staff, require_staff
from portal.calendar import bp, services
from portal.calendar.forms import EventForm
from portal.calendar.ical import calendar_feed
from portal.calendar.models import Event
from portal.calendar.queries import SHOW, calendar_for, deadline_title, event_when
from portal.core.dates import STOCKHOLM
from portal.core.forms import ButtonForm, press_button, save_form
from portal.core.i18n import _l, translated
from portal.extensions import db
from portal.projects.audience import AUDIENCES

FEED = "calendar"


@bp.route("/kalender")
@login_required
def calendar_page():
    page = calendar_for(
        current_user,
        month=request.args.get("fran"),
        show=request.args.get("visa", "allt"),
        only_mine=request.args.get("mina") == "1",
    )
    return render_template(
        "calendar/calendar.html",
        page=page,
        show_choices=translated(SHOW),
        deadline_title=deadline_title,
        event_when=event_when,
        may_write=is_staff(current_user),
    )


@bp.route("/kalender/<id:event_id>")
@login_required
def event(event_id: int):
    item = services.readable_event(current_user, event_id)
    if item is None:
        abort(404)
    return render_template(
        "calendar/event.html",
        event=item,
        month=item.starts_at.astimezone(STOCKHOLM).strftime("%Y-%m"),
        event_when=event_when,
        audiences=translated(AUDIENCES),
        may_write=is_staff(current_user),
    )


def _event_form(event: Event | None) -> EventForm:
    data = None
    if event is not None:
        data = {
            "title": event.title,
            "starts_at": event.starts_at,
            "ends_at": event.ends_at,
            "all_day": event.all_day,
            "place": event.place,
            "description": event.description,
            "audience": event.audience,
            "organisation_ids": [organisation.id for organisation in event.organisations],
            "audience_project_id": event.audience_project_id,
        }
    form = EventForm(data=data)
    form.set_audience_choices()
    return form


def _edit(event: Event | None):
    form = _event_form(event)
    response = save_form(
        form,
        lambda: services.save_event(
            current_user,
            event,
            title=form.title.data,
            starts_at=form.starts_at.data,
            ends_at=form.ends_at.data,
            all_day=form.all_day.data,
            place=form.place.data,
            description=form.description.data,
            audience=form.audience.data,
            organisation_ids=form.organisation_ids.data or [],
            audience_project_id=form.audience_project_id.data,
        ),
        _l("Händelsen är sparad."),
        lambda saved: url_for("calendar.event", event_id=saved.id),
    )
    return response or render_template(
        "calendar/form.html", form=form, event=event, delete_form=ButtonForm(formdata=None)
    )


@bp.route("/kalender/ny", methods=["GET", "POST"])
@require_staff
def new_event():
    return _edit(None)


@bp.route("/kalender/<id:event_id>/andra", methods=["GET", "POST"])
@require_staff
def edit_event(event_id: int):
    return _edit(db.get_or_404(Event, event_id))


@bp.route("/kalender/<id:event_id>/ta-bort", methods=["POST"])
@require_staff
def delete_event(event_id: int):
    event = db.get_or_404(Event, event_id)
    return press_button(
        lambda: services.delete_event(current_user, event),
        _l("Händelsen är borttagen."),
        url_for("calendar.calendar_page"),
    )


feeds.add_feed_settings_routes(
    bp,
    FEED,
    "/kalender/flode",
    "calendar/feed_settings.html",
    _l("Kalenderflödet är avstängt. Den gamla adressen fungerar inte längre."),
)


@bp.route("/kalender/flode/<token>.ics")
def feed(token: str):
    """The iCal feed of what the token's owner may see: no login, the address is the key."""
    reader = feeds.feed_reader(token, FEED)
    if reader is None:
        abort(404)
    return Response(calendar_feed(reader), content_type="text/calendar; charset=utf-8")
