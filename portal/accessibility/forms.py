"""The barrier report (open to anyone, with a honeypot field) and the admins' statement form.
Every message is Swedish and shown beside its field."""

from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from portal.accessibility.models import REPORT_KINDS
from portal.core.forms import VALID_DATE, SwedishDateField, select_choices, within_years
from portal.core.i18n import _l

VALID_EMAIL = _l("Ange en giltig e-postadress, till exempel namn@bibliotek.se.")


class BarrierReportForm(FlaskForm):
    kind = RadioField(
        _l("Vad gäller det?"),
        choices=lambda: select_choices(REPORT_KINDS.items()),
        default="barrier",
        validators=[DataRequired(_l("Välj vad det gäller."))],
        validate_choice=False,  # the service refuses an unknown kind with its own message
    )
    page = StringField(
        _l("Vilken sida eller vilket dokument gäller det?"),
        validators=[
            DataRequired(_l("Skriv vilken sida eller vilket dokument det gäller.")),
            Length(max=500, message=_l("Skriv högst 500 tecken.")),
        ],
        description=_l("Sidans adress eller rubrik, eller dokumentets namn."),
    )
    description = TextAreaField(
        _l("Beskriv problemet"),
        validators=[
            DataRequired(_l("Beskriv problemet eller vad du behöver.")),
            Length(max=5000, message=_l("Skriv högst 5 000 tecken.")),
        ],
        description=_l(
            "Vad försökte du göra, och vad hände? Skriv gärna vilket hjälpmedel och vilken "
            "webbläsare du använder, eller i vilket format du vill ha innehållet."
        ),
    )
    contact_name = StringField(
        _l("Ditt namn (valfritt)"),
        validators=[Optional(), Length(max=200, message=_l("Skriv högst 200 tecken."))],
    )
    contact_email = EmailField(
        _l("Din e-postadress (valfritt)"),
        validators=[Optional(), Email(VALID_EMAIL), Length(max=254)],
        description=_l("Om du vill att vi svarar dig."),
    )
    # The honeypot: hidden from people (and screen readers), filled in by bots; a report with
    # anything in it is dropped without a word (routes.report_barrier).
    website = StringField(_l("Lämna det här fältet tomt"))
    submit = SubmitField(_l("Skicka"))

    def is_from_a_bot(self) -> bool:
        return bool((self.website.data or "").strip())


class StatementForm(FlaskForm):
    body = TextAreaField(
        _l("Redogörelsen"),
        validators=[DataRequired(_l("Skriv redogörelsen.")), Length(max=50000)],
        description=_l(
            "Markdown. Rubriker med # blir rubriker under sidans huvudrubrik. Följ Diggs mall: "
            "hur tillgänglig portalen är, kända brister, hur man rapporterar en brist eller ber "
            "om innehåll i annat format, tillsyn och hur portalen är testad."
        ),
    )
    assessed_on = SwedishDateField(
        _l("Senaste bedömningen gjordes"),
        validators=[DataRequired(VALID_DATE), within_years],
        description=_l("Datumet då portalens tillgänglighet senast bedömdes, som 2026-12-07."),
    )
    submit = SubmitField(_l("Spara redogörelsen"))
