"""Who a news item or a calendar event is for: everyone, some organisations, or one project's
team and participants. The reader's share is decided in SQL, so lists and feeds are filtered in
the query, never after it. The form's three fields are shared too; the service checks them
again, so forged ids are refused."""

from collections.abc import Callable
from typing import NamedTuple

from flask_wtf import FlaskForm
from sqlalchemy import ColumnElement, and_, or_, select
from wtforms import SelectField, SelectMultipleField

from portal.accounts.models import Organisation, User
from portal.core.errors import ValidationError
from portal.core.forms import int_list, optional_int, select_choices
from portal.core.i18n import _l
from portal.extensions import db
from portal.projects import choices as project_choices
from portal.projects.dashboard import is_mine
from portal.projects.models import Project

AUDIENCES = {
    "everyone": _l("Alla i portalen"),
    "organisations": _l("Vissa organisationer"),
    "project": _l("Ett projekts grupp och deltagare"),
}


def audience_includes(
    user: User,
    audience,
    project_id,
    organisation_chosen: Callable[[int], ColumnElement[bool]],
) -> ColumnElement[bool]:
    """Everyone; the user's organisation among those chosen; or the user's project.

    `audience` and `project_id` are the row's columns; `organisation_chosen(id)` says in SQL
    whether that organisation is among the row's chosen ones (an EXISTS on its link table).
    `user.id` may be a bound parameter (the search builds its statements once per shape).
    """
    return or_(
        *_beyond_projects(user, audience, organisation_chosen),
        and_(audience == "project", is_mine(user, project_id)),
    )


def audience_parts(
    user: User,
    audience,
    project_id,
    organisation_chosen: Callable[[int], ColumnElement[bool]],
    ways: list,
) -> list[ColumnElement[bool]]:
    """`audience_includes` as one condition per way a row can be for the user (any one will
    do), with `ways` the user's `bound_ways`: apart, a list of the newest rows reads
    each way in its order (portal/projects/dashboard.py::first_rows)."""
    return [
        *_beyond_projects(user, audience, organisation_chosen),
        *(and_(audience == "project", project_id.in_(way)) for way in ways),
    ]


def _beyond_projects(user: User, audience, organisation_chosen) -> list[ColumnElement[bool]]:
    parts = [audience == "everyone"]
    if user.organisation_id is not None:
        parts.append(and_(audience == "organisations", organisation_chosen(user.organisation_id)))
    return parts


class AudienceMessages(NamedTuple):
    """What to say, in the words of the feature, when the audience is not complete."""

    audience: str
    organisations: str
    project: str


class Audience(NamedTuple):
    audience: str
    organisations: list[Organisation]
    project: Project | None


def checked_audience(
    audience: str,
    organisation_ids: list[int],
    project_id: int | None,
    messages: AudienceMessages,
) -> Audience:
    """The chosen audience with its rows; forged ids, no organisation or no project refused."""
    if audience not in AUDIENCES:
        raise ValidationError(messages.audience, field="audience")
    organisations = rows_by_id(Organisation, organisation_ids, "organisation_ids")
    if audience == "organisations" and not organisations:
        raise ValidationError(messages.organisations, field="organisation_ids")
    project = None
    if audience == "project":
        project = db.session.get(Project, project_id or 0)
        if project is None:
            raise ValidationError(messages.project, field="audience_project_id")
    return Audience(audience, organisations if audience == "organisations" else [], project)


def rows_by_id(model, ids: list[int], field: str) -> list:
    """The rows with these ids; an id that does not exist (a forged form) is refused."""
    wanted = set(ids or [])
    if not wanted:
        return []
    found = list(db.session.scalars(select(model).where(model.id.in_(wanted))))
    if len(found) != len(wanted):
        raise ValidationError(_l("Välj bland alternativen i listan."), field=field)
    return found


class AudienceForm(FlaskForm):
    """A form with the audience's three fields; call `set_audience_choices` before use."""

    audience = SelectField(
        _l("Vilka det gäller"),
        choices=lambda: select_choices(AUDIENCES.items()),
        validate_choice=False,
    )
    organisation_ids = SelectMultipleField(
        _l("Organisationer (om det gäller vissa organisationer)"),
        coerce=int_list,
        validate_choice=False,
    )
    audience_project_id = SelectField(
        _l("Projekt (om det gäller ett projekts grupp och deltagare)"),
        coerce=optional_int,
        validate_choice=False,
    )

    def set_audience_choices(self, projects: list[tuple[int, str]] | None = None) -> None:
        projects = project_choices.project_choices() if projects is None else projects
        self.organisation_ids.choices = select_choices(project_choices.organisation_choices())
        self.audience_project_id.choices = select_choices([("", _l("Inget projekt")), *projects])
