"""Forms of a project's milestones, progress updates and indicators. Numbers are text ("12,5"):
the services parse them and check every select against this project's own rows."""

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, StopValidation

from portal.core.errors import ValidationError
from portal.core.forms import REQUIRED, date_field, int_or_none
from portal.core.i18n import _l
from portal.core.money import parse_decimal
from portal.projects.progress.updates import indicator_value_field

NUMBER_HINT = _l("Ett tal, till exempel 12 eller 12,5.")


class MilestoneForm(FlaskForm):
    title = StringField(_l("Milstolpe"), validators=[DataRequired(REQUIRED), Length(max=200)])
    due_on = date_field(_l("Ska vara klar"), required=True)
    responsible_id = SelectField(_l("Ansvarig"), coerce=int_or_none, validate_choice=False)
    done_on = date_field(_l("Klar den"))
    submit = SubmitField(_l("Spara milstolpen"))


class UpdateForm(FlaskForm):
    reported_on = date_field(_l("Datum"), required=True)
    text = TextAreaField(
        _l("Vad har hänt?"),
        validators=[DataRequired(REQUIRED), Length(max=20000)],
        description=_l("Du kan använda Markdown: **fet**, *kursiv*, listor och länkar."),
    )
    health = SelectField(_l("Projektets läge"), validate_choice=False)
    health_reason = StringField(_l("Varför (en rad)"), validators=[Optional(), Length(max=300)])
    municipality = SelectField(_l("Kommun"), validate_choice=False)
    submit = SubmitField(_l("Publicera uppdateringen"))

    def indicator_fields(self):
        return [field for name, field in self._fields.items() if name.startswith("indicator_")]

    def indicator_values(self) -> dict[int, str]:
        return {
            int(field.name.removeprefix("indicator_")): field.data or ""
            for field in self.indicator_fields()
        }


def swedish_number(form, field):
    """Each bad number is shown beside its own field at once; the service checks again."""
    if (field.data or "").strip():
        try:
            parse_decimal(field.data)
        except ValidationError as error:
            raise StopValidation(str(error.message)) from error


def update_form_class(indicators) -> type[UpdateForm]:
    """The update form with one value input per indicator of the project."""

    class ProjectUpdateForm(UpdateForm):
        pass

    for indicator in indicators:
        setattr(
            ProjectUpdateForm,
            indicator_value_field(indicator.id),
            StringField(
                f"{indicator.name} ({indicator.unit})",
                validators=[Optional(), Length(max=40), swedish_number],
                description=NUMBER_HINT,
            ),
        )
    return ProjectUpdateForm


class IndicatorForm(FlaskForm):
    name = StringField(_l("Indikator"), validators=[DataRequired(REQUIRED), Length(max=200)])
    unit = StringField(
        _l("Enhet"),
        validators=[DataRequired(REQUIRED), Length(max=50)],
        description=_l("Till exempel familjer, besök eller utlån."),
    )
    target = StringField(
        _l("Mål"), validators=[Optional(), Length(max=40)], description=NUMBER_HINT
    )
    target_group_id = SelectField(_l("Målgrupp"), coerce=int_or_none, validate_choice=False)
    goal_area_id = SelectField(_l("Målområde"), coerce=int_or_none, validate_choice=False)
    submit = SubmitField(_l("Spara indikatorn"))
