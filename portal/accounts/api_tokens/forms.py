"""The form that makes a personal access token. It shares the profile page with other forms,
so its fields carry a prefix ("api-token-name"): no two elements have the same id."""

from datetime import date, timedelta

from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from portal.core.forms import REQUIRED, SwedishDateField, select_choices
from portal.core.i18n import _l

PREFIX = "api-token"
CHOSEN_DATE = "date"
LIFETIMES = [
    ("30", _l("30 dagar")),
    ("90", _l("90 dagar")),
    ("365", _l("Ett år")),
    (CHOSEN_DATE, _l("Till ett datum jag väljer")),
]


class ApiTokenForm(FlaskForm):
    name = StringField(
        _l("Namn på nyckeln"),
        validators=[DataRequired(REQUIRED), Length(max=100)],
        description=_l("Så att du känner igen den, till exempel ”Statistik i Excel”."),
    )
    lifetime = RadioField(_l("Giltig i"), choices=lambda: select_choices(LIFETIMES), default="90")
    expires_on = SwedishDateField(
        _l("Giltig till och med"),
        validators=[Optional()],
        description=_l("Bara om du valde ett eget datum. Högst ett år fram."),
    )
    submit = SubmitField(_l("Skapa nyckel"))

    def chosen_expiry(self, today: date) -> date | None:
        """The last day the token works: `today` plus the days chosen, or the date typed."""
        if self.lifetime.data == CHOSEN_DATE:
            return self.expires_on.data
        return today + timedelta(days=int(self.lifetime.data))


def api_token_form(**kwargs) -> ApiTokenForm:
    return ApiTokenForm(prefix=PREFIX, **kwargs)
