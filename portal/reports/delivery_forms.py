"""The send button's form: only the CSRF token."""

from flask_wtf import FlaskForm
from wtforms import SubmitField

from portal.core.i18n import _l


class SendReportForm(FlaskForm):
    submit = SubmitField(_l("Skicka till finansiären"))
