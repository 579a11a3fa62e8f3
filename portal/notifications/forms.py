"""The notification settings: how often, for each kind. The service checks the values again,
so a forged choice gets a Swedish message beside its group."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SubmitField

from portal.core.forms import select_choices
from portal.core.i18n import _l
from portal.notifications.preferences import FREQUENCIES, KINDS


def _frequency_field(kind: str) -> RadioField:
    return RadioField(
        KINDS[kind],
        choices=lambda: select_choices(FREQUENCIES.items()),
        validate_choice=False,
    )


class PreferencesForm(FlaskForm):
    news = _frequency_field("news")
    project_updates = _frequency_field("project_updates")
    documents = _frequency_field("documents")
    deadlines = _frequency_field("deadlines")
    submit = SubmitField(_l("Spara inställningarna"))

    def kind_fields(self):
        return [getattr(self, kind) for kind in KINDS]

    def choices(self) -> dict[str, str]:
        """The chosen frequency of each kind; "" for none, which the service refuses."""
        return {kind: getattr(self, kind).data or "" for kind in KINDS}


class UnsubscribeForm(FlaskForm):
    """The one-click POST (RFC 8058) carries no CSRF token: the signed address is the proof."""

    class Meta:
        csrf = False

    one_click = HiddenField(name="List-Unsubscribe", default="One-Click")
    submit = SubmitField(_l("Ja, stäng av mejlen"))
