"""The news form. Selects are checked again by the service, so forged ids are refused."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from portal.core.forms import REQUIRED, SwedishDateTimeField, int_list, select_choices
from portal.core.i18n import _l
from portal.news.models import NEWS_STATUSES
from portal.projects.audience import AudienceForm


class NewsForm(AudienceForm):
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
    goal_area_ids = SelectMultipleField(_l("Målområden"), coerce=int_list, validate_choice=False)
    project_ids = SelectMultipleField(_l("Projekt"), coerce=int_list, validate_choice=False)
    submit = SubmitField(_l("Spara nyheten"))


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Din kommentar"),
        validators=[DataRequired(_l("Skriv något i kommentaren.")), Length(max=5000)],
        description=_l("Du kan använda Markdown."),
    )
    submit = SubmitField(_l("Skicka kommentaren"))
