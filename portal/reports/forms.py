"""Forms of the report pages and the template admin. Selects are checked by the services."""

from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from portal.core.forms import REQUIRED, VALID_DATE, SwedishDateField, int_or_none, select_choices
from portal.core.i18n import _l
from portal.reports.models import REPORT_KINDS

TEMPLATE_ROWS = 12


class NewReportForm(FlaskForm):
    grant_id = SelectField(_l("Bidrag"), coerce=int_or_none, validate_choice=False)
    kind = SelectField(
        _l("Slag av rapport"),
        choices=lambda: select_choices(REPORT_KINDS.items()),
        validate_choice=False,
    )
    template_id = SelectField(_l("Mall"), coerce=int_or_none, validate_choice=False)
    period_starts_on = SwedishDateField(
        _l("Perioden börjar"),
        validators=[DataRequired(VALID_DATE)],
        description=_l("Till exempel 2016-01-01."),
    )
    period_ends_on = SwedishDateField(
        _l("Perioden slutar"),
        validators=[DataRequired(VALID_DATE)],
        description=_l("Till exempel 2016-06-30."),
    )
    submit = SubmitField(_l("Skapa utkast"))


class ReportTextsForm(FlaskForm):
    """One textarea per section; the view gives each its section title as label."""

    sections = FieldList(TextAreaField(validators=[Optional(), Length(max=50_000)]))
    version = HiddenField()
    submit = SubmitField(_l("Spara"))


class ReviewForm(FlaskForm):
    reviewer_id = SelectField(_l("Granskare (valfritt)"), coerce=int_or_none, validate_choice=False)
    submit = SubmitField(_l("Skicka till granskning"))


class TemplateSectionForm(Form):
    title = StringField(_l("Rubrik"), validators=[Optional(), Length(max=200)])
    source = SelectField(_l("Underlag"), validate_choice=False)
    guidance = StringField(_l("Vägledning"), validators=[Optional(), Length(max=500)])


class TemplateForm(FlaskForm):
    name = StringField(_l("Namn"), validators=[DataRequired(REQUIRED), Length(max=200)])
    description = TextAreaField(_l("Beskrivning"), validators=[Optional(), Length(max=2000)])
    funder_id = SelectField(_l("Finansiär (valfritt)"), coerce=int_or_none, validate_choice=False)
    sections = FieldList(FormField(TemplateSectionForm), min_entries=TEMPLATE_ROWS)
    submit = SubmitField(_l("Spara mallen"))
