"""The passkey forms. The browser's answer to the ceremony rides in a hidden field, which the
script fills (portal/static/js/passkeys.js) before it sends the form as any other. They share
their pages with the profile and the password forms, so their fields carry a prefix
("passkey-name"): no two elements have the same id."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from portal.core.forms import REQUIRED
from portal.core.i18n import _l

NO_ANSWER = _l(
    "Webbläsaren skickade inget svar från din passkey. Försök igen, eller logga in med lösenordet."
)


PREFIX = "passkey"


class PasskeyRegistrationForm(FlaskForm):
    name = StringField(
        _l("Namn på passkeyn"),
        validators=[DataRequired(REQUIRED), Length(max=100)],
        description=_l("Så att du känner igen den, till exempel ”Jobbdatorn” eller ”Mobilen”."),
    )
    # Empty when the name was missing and the script let the form through to say so.
    credential = HiddenField(validators=[Optional(), Length(max=20_000)])
    submit = SubmitField(_l("Registrera passkey"))


class PasskeyLoginForm(FlaskForm):
    credential = HiddenField(validators=[DataRequired(NO_ANSWER), Length(max=20_000)])
    submit = SubmitField(_l("Logga in med passkey"))


def registration_form(**kwargs) -> PasskeyRegistrationForm:
    return PasskeyRegistrationForm(prefix=PREFIX, **kwargs)


def login_form(**kwargs) -> PasskeyLoginForm:
    return PasskeyLoginForm(prefix=PREFIX, **kwargs)
