"""The news form. Selects are checked again by the service, so forged ids are refused."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from portal.core.dates import STOCKHOLM
from portal.core.forms import select_choices
from portal.core.i18n import _l
from portal.news.models import AUDIENCES, NEWS_STATUSES
from portal.projects.forms import REQUIRED, int_list, optional_int

VALID_TIME = _l("Ange datum och tid som 2026-12-02 08:00.")


class SwedishDateTimeField(DateTimeLocalField):
    """A date and time as typed in a datetime-local box (or by hand with a space), with the
    Swedish message when it is not one."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"], **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(VALID_TIME)) from error


class NewsForm(FlaskForm):
    title = StringField(_l("Rubrik"), validators=[DataRequired(REQUIRED), Length(max=200)])
    body = TextAreaField(
        _l("Text"),
        validators=[DataRequired(REQUIRED), Length(max=50000)],
        description=_l("Du kan använda Markdown."),
    )
    status = SelectField(
        _l("Publicering"),
        choices=lambda: select_choices(NEWS_STATUSES.items()),
        validate_choice=False,
    )
    publish_at = SwedishDateTimeField(
        _l("Publiceras"),
        validators=[Optional()],
        description=_l("Svensk tid, till exempel 2026-12-02 08:00. Bara för schemalagda nyheter."),
    )
    pinned = BooleanField(_l("Fäst överst i nyhetslistan"))
    audience = SelectField(
        _l("Vilka nyheten gäller"),
        choices=lambda: select_choices(AUDIENCES.items()),
        validate_choice=False,
    )
    organisation_ids = SelectMultipleField(
        _l("Organisationer (om nyheten gäller vissa organisationer)"),
        coerce=int_list,
        validate_choice=False,
    )
    audience_project_id = SelectField(
        _l("Projekt (om nyheten gäller ett projekts grupp och deltagare)"),
        coerce=optional_int,
        validate_choice=False,
    )
    goal_area_ids = SelectMultipleField(_l("Målområden"), coerce=int_list, validate_choice=False)
    project_ids = SelectMultipleField(_l("Projekt"), coerce=int_list, validate_choice=False)
    submit = SubmitField(_l("Spara nyheten"))

    def publish_at_utc(self):
        """The typed Swedish time as an aware datetime (None when empty)."""
        value = self.publish_at.data
        return value.replace(tzinfo=STOCKHOLM) if value else None


class ConfirmForm(FlaskForm):
    submit = SubmitField(_l("Ta bort nyheten"))


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Din kommentar"),
        validators=[DataRequired(_l("Skriv något i kommentaren.")), Length(max=5000)],
        description=_l("Du kan använda Markdown."),
    )
    submit = SubmitField(_l("Skicka kommentaren"))


class RemoveCommentForm(FlaskForm):
    submit = SubmitField(_l("Ta bort kommentaren"))


class FeedForm(FlaskForm):
    submit = SubmitField(_l("Skapa en ny flödesadress"))


class CloseFeedForm(FlaskForm):
    submit = SubmitField(_l("Stäng av flödet"))
