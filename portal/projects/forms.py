"""Forms for a project and its participants. Every select is checked again by the services, so
a forged id (a lead who is not staff, a retired goal area) is refused with a Swedish message."""

from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from portal.core.forms import REQUIRED, SwedishDateField, int_list, optional_int, select_choices
from portal.core.i18n import _l
from portal.projects.models import PARTICIPANT_ROLES, PROJECT_HEALTH, PROJECT_STATUSES


class ProjectForm(FlaskForm):
    version = HiddenField()
    title = StringField(_l("Titel"), validators=[DataRequired(REQUIRED), Length(max=200)])
    slug = StringField(
        _l("Adress (slug)"),
        validators=[Optional(), Length(max=120)],
        description=_l("Lämna tomt så skapas adressen från titeln."),
    )
    summary = TextAreaField(_l("Sammanfattning"), validators=[Optional(), Length(max=500)])
    description = TextAreaField(
        _l("Beskrivning"),
        validators=[Optional(), Length(max=20000)],
        description=_l("Du kan använda Markdown."),
    )
    goal_area_id = SelectField(_l("Målområde"), coerce=optional_int, validate_choice=False)
    secondary_goal_area_ids = SelectMultipleField(
        _l("Andra målområden"), coerce=int_list, validate_choice=False
    )
    target_group_ids = SelectMultipleField(_l("Målgrupper"), coerce=int_list, validate_choice=False)
    status = SelectField(
        _l("Status"),
        choices=lambda: select_choices(PROJECT_STATUSES.items()),
        validate_choice=False,
    )
    health = SelectField(
        _l("Läge"),
        choices=lambda: select_choices(PROJECT_HEALTH.items()),
        validate_choice=False,
    )
    health_reason = StringField(
        _l("Varför läget är som det är (en rad)"), validators=[Optional(), Length(max=300)]
    )
    starts_on = SwedishDateField(_l("Startdatum"), validators=[Optional()])
    ends_on = SwedishDateField(_l("Slutdatum"), validators=[Optional()])
    lead_id = SelectField(_l("Projektledare"), coerce=optional_int, validate_choice=False)
    team_ids = SelectMultipleField(_l("Projektgrupp"), coerce=int_list, validate_choice=False)
    submit = SubmitField(_l("Spara projektet"))


class ParticipantForm(FlaskForm):
    organisation_id = SelectField(_l("Organisation"), coerce=optional_int, validate_choice=False)
    role = SelectField(
        _l("Roll"),
        choices=lambda: select_choices(PARTICIPANT_ROLES.items()),
        validate_choice=False,
    )
    submit = SubmitField(_l("Lägg till deltagare"))
