"""Forms of the second factor: one code field, for the app's six digits or a recovery code."""

from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from portal.core.i18n import _l

ENTER_CODE = _l("Skriv koden.")


class SecondFactorForm(FlaskForm):
    code = StringField(
        _l("Kod"),
        validators=[DataRequired(ENTER_CODE), Length(max=40)],
        description=_l(
            "Sex siffror från appen för tvåstegsverifiering, eller en av dina reservkoder."
        ),
    )
    submit = SubmitField(_l("Fortsätt"))


class ConfirmTotpForm(FlaskForm):
    code = StringField(
        _l("Kod från appen"),
        validators=[DataRequired(ENTER_CODE), Length(max=40)],
        description=_l("De sex siffror som appen visar för kontot."),
    )
    submit = SubmitField(_l("Slå på tvåstegsverifiering"))
