"""Admin forms for plan periods, goal areas and target groups."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.core.forms import REQUIRED, VALID_DATE, WholeNumberRange
from portal.core.i18n import _l

POSITION_HINT = _l("Lägre tal visas först.")
VALID_POSITION = _l("Skriv ett heltal från 0 och uppåt.")


class PlanDateField(DateField):
    """A date as 2016-03-15, with the Swedish message when it is not one."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format="%Y-%m-%d", **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(VALID_DATE)) from error


def date_field(label):
    return PlanDateField(label, validators=[DataRequired(VALID_DATE)])


def name_field():
    return StringField(_l("Namn"), validators=[DataRequired(REQUIRED), Length(max=200)])


def position_field():
    return IntegerField(
        _l("Ordning"),
        validators=[Optional(), WholeNumberRange(min=0, max=10000, message=VALID_POSITION)],
        description=POSITION_HINT,
    )


class PlanPeriodForm(FlaskForm):
    name = name_field()
    starts_on = date_field(_l("Börjar"))
    ends_on = date_field(_l("Slutar"))
    is_current = BooleanField(_l("Aktuell planperiod"))
    submit = SubmitField(_l("Spara planperiod"))


class GoalAreaForm(FlaskForm):
    name = name_field()
    description = TextAreaField(_l("Beskrivning"), validators=[Optional(), Length(max=5000)])
    position = position_field()
    is_retired = BooleanField(_l("Avvecklat (visas inte för nya projekt)"))
    submit = SubmitField(_l("Spara målområde"))


class TargetGroupForm(FlaskForm):
    name = name_field()
    position = position_field()
    is_retired = BooleanField(_l("Avvecklad (visas inte för nya projekt)"))
    submit = SubmitField(_l("Spara målgrupp"))
