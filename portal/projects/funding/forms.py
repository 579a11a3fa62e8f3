"""Forms of a project's economy. Amounts are text ("1 000,50"): the services parse and check
them, and every select is checked by a service against this project's own rows."""

from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    Form,
    FormField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from portal.core.forms import REQUIRED, SwedishDateField, date_field, int_or_none, select_choices
from portal.core.i18n import _l
from portal.projects.models import (
    BUDGET_CATEGORIES,
    CONTRIBUTION_KINDS,
    DEADLINE_KINDS,
    REPORT_RECURRENCES,
)

AMOUNT_HINT = _l("I kronor, till exempel 600 000 eller 1 000,50.")


def amount_field(label):
    return StringField(
        label, validators=[DataRequired(REQUIRED), Length(max=40)], description=AMOUNT_HINT
    )


class DeadlineForm(Form):
    kind = SelectField(
        _l("Typ av rapport"),
        choices=lambda: select_choices(DEADLINE_KINDS.items()),
        validate_choice=False,
    )
    due_on = SwedishDateField(_l("Ska lämnas senast"), validators=[Optional()])


class GrantForm(FlaskForm):
    funder_id = SelectField(_l("Finansiär"), coerce=int_or_none, validate_choice=False)
    case_number = StringField(_l("Diarienummer"), validators=[Optional(), Length(max=100)])
    amount = amount_field(_l("Beviljat belopp"))
    decided_on = date_field(_l("Beslutsdatum"))
    period_starts_on = date_field(_l("Bidragsperioden börjar"))
    period_ends_on = date_field(_l("Bidragsperioden slutar"))
    conditions = TextAreaField(_l("Villkor"), validators=[Optional(), Length(max=5000)])
    report_recurrence = SelectField(
        _l("Återkommande lägesrapport"),
        choices=lambda: select_choices(REPORT_RECURRENCES.items()),
        validate_choice=False,
        description=_l(
            "Portalen skriver ett utkast efter varje period. Det skickas aldrig utan godkännande."
        ),
    )
    deadlines = FieldList(FormField(DeadlineForm), min_entries=2)
    submit = SubmitField(_l("Spara bidraget"))


class ContributionForm(FlaskForm):
    organisation_id = SelectField(_l("Organisation"), coerce=int_or_none, validate_choice=False)
    amount = amount_field(_l("Belopp"))
    kind = SelectField(
        _l("Slag av insats"),
        choices=lambda: select_choices(CONTRIBUTION_KINDS.items()),
        validate_choice=False,
    )
    submit = SubmitField(_l("Spara insatsen"))


class BudgetLineForm(FlaskForm):
    category = SelectField(
        _l("Kategori"),
        choices=lambda: select_choices(BUDGET_CATEGORIES.items()),
        validate_choice=False,
    )
    description = StringField(_l("Beskrivning"), validators=[Optional(), Length(max=300)])
    planned = amount_field(_l("Planerad kostnad"))
    financed_by = SelectField(_l("Finansieras av"), validate_choice=False)
    submit = SubmitField(_l("Spara budgetraden"))


class ExpenseForm(FlaskForm):
    spent_on = date_field(_l("Datum"), required=True)
    amount = amount_field(_l("Belopp"))
    text = StringField(
        _l("Vad pengarna gick till"), validators=[DataRequired(REQUIRED), Length(max=300)]
    )
    budget_line_id = SelectField(_l("Budgetrad"), coerce=int_or_none, validate_choice=False)
    submit = SubmitField(_l("Spara utgiften"))
