"""The erasure's confirmation."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField
from wtforms.validators import DataRequired

from portal.core.i18n import _l


class EraseUserForm(FlaskForm):
    confirm = BooleanField(
        _l("Jag förstår att personuppgifterna raderas för gott och inte kan återställas"),
        validators=[DataRequired(_l("Kryssa i rutan för att bekräfta raderingen."))],
    )
    submit = SubmitField(_l("Radera och anonymisera kontot"))
