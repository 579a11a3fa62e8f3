"""The admin's form for an organisation's login with municipal accounts."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    PasswordField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from portal.core.forms import REQUIRED
from portal.core.i18n import _l


class IdentityProviderForm(FlaskForm):
    issuer = StringField(
        _l("Utfärdare (issuer)"),
        validators=[DataRequired(REQUIRED), Length(max=500)],
        description=_l(
            "Adressen som IdP:n kallar sig, till exempel "
            "https://login.microsoftonline.com/KATALOG-ID/v2.0."
        ),
    )
    client_id = StringField(_l("Klient-id"), validators=[DataRequired(REQUIRED), Length(max=255)])
    client_secret = PasswordField(
        _l("Klienthemlighet"),
        validators=[Optional(), Length(max=500)],
        description=_l("Visas aldrig igen. Lämna tomt för att behålla den sparade."),
    )
    allowed_domains = TextAreaField(
        _l("Tillåtna e-postdomäner"),
        validators=[Optional(), Length(max=5000)],
        description=_l(
            "Personer med en bekräftad adress på de här domänerna får ett konto som "
            "kommunbibliotekarie första gången de loggar in. Andra behöver en inbjudan. "
            "Åtskilj med mellanslag eller kommatecken, till exempel timra.se."
        ),
    )
    enabled = BooleanField(_l("Inloggning med kommunkonto är på"))
    submit = SubmitField(_l("Spara"))
