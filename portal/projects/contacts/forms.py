"""Forms for a funder's contacts; the service checks the email address again."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional

from portal.core.i18n import _l

REQUIRED_EMAIL = _l("Fyll i kontaktpersonens e-postadress: rapporterna skickas dit.")
VALID_EMAIL = _l("Ange en giltig e-postadress, till exempel namn@kulturradet.se.")


class FunderContactForm(FlaskForm):
    name = StringField(
        _l("Namn"),
        validators=[DataRequired(_l("Fyll i kontaktpersonens namn.")), Length(max=200)],
    )
    email = EmailField(
        _l("E-postadress"),
        validators=[DataRequired(REQUIRED_EMAIL), Email(VALID_EMAIL), Length(max=254)],
    )
    role = StringField(
        _l("Roll"),
        validators=[Optional(), Length(max=200)],
        description=_l("Till exempel handläggare eller kulturstrateg."),
    )
    phone = StringField(_l("Telefon"), validators=[Optional(), Length(max=50)])
    receives_reports = BooleanField(_l("Får projektens rapporter med e-post"), default=True)
    submit = SubmitField(_l("Spara kontaktpersonen"))
