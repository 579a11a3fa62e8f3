"""The event form. Selects are checked again by the service, so forged ids are refused."""

from wtforms import (
    BooleanField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.core.forms import REQUIRED, SwedishDateTimeField
from portal.core.i18n import _l
from portal.projects.audience import AudienceForm


class SwedishDateOrTimeField(SwedishDateTimeField):
    """As SwedishDateTimeField, and a date alone means its midnight, which an all-day event
    needs."""

    formats = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d")


class EventForm(AudienceForm):
    title = StringField(_l("Rubrik"), validators=[DataRequired(REQUIRED), Length(max=200)])
    starts_at = SwedishDateOrTimeField(
        _l("Börjar"),
        validators=[InputRequired(REQUIRED)],
        description=_l(
            "Svensk tid, till exempel 2026-12-02 08:00, eller bara datum för en heldag."
        ),
    )
    ends_at = SwedishDateOrTimeField(
        _l("Slutar"),
        validators=[InputRequired(REQUIRED)],
        description=_l("Svensk tid, till exempel 2026-12-02 16:00."),
    )
    all_day = BooleanField(
        _l("Heldag"), description=_l("Bara datumen räknas; händelsen varar hela dagarna.")
    )
    place = StringField(_l("Plats"), validators=[Optional(), Length(max=200)])
    description = TextAreaField(
        _l("Beskrivning"),
        validators=[Optional(), Length(max=20000)],
        description=_l("Du kan använda Markdown."),
    )
    submit = SubmitField(_l("Spara händelsen"))
