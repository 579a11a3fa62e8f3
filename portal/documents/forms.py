"""Forms for folders, documents, versions and the register's filters. Selects are checked again
by the service, so a forged id is refused with a Swedish message; the file's type is decided by
the service too."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from portal.core.forms import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    REQUIRED,
    WholeNumberRange,
    date_field,
    int_list,
    optional_int,
    select_choices,
)
from portal.core.i18n import _l
from portal.documents.models import RETENTIONS, VISIBILITIES

VALID_YEAR = _l("Skriv ett år mellan 1900 och 2200, som 2016.")
FILE_HINT = _l(
    "PDF, Word, Excel, PowerPoint, OpenDocument, bilder (PNG, JPEG, GIF, WebP), text eller "
    "CSV, högst %(megabytes)s MB."
)


class FolderForm(FlaskForm):
    name = StringField(_l("Mappens namn"), validators=[DataRequired(REQUIRED), Length(max=200)])
    parent_id = SelectField(_l("Ligger i"), coerce=optional_int, validate_choice=False)
    submit = SubmitField(_l("Spara mappen"))


class RenameFolderForm(FlaskForm):
    name = StringField(_l("Mappens namn"), validators=[DataRequired(REQUIRED), Length(max=200)])
    submit = SubmitField(_l("Byt namn"))


class MoveFolderForm(FlaskForm):
    step = HiddenField()


class DocumentForm(FlaskForm):
    """The document's description and public-record fields; `file` only when uploading."""

    file = FileField(_l("Fil"))
    title = StringField(_l("Titel"), validators=[DataRequired(REQUIRED), Length(max=200)])
    description = TextAreaField(_l("Beskrivning"), validators=[Optional(), Length(max=5000)])
    folder_id = SelectField(_l("Mapp"), coerce=optional_int, validate_choice=False)
    project_id = SelectField(_l("Projekt"), coerce=optional_int, validate_choice=False)
    visibility = SelectField(
        _l("Vilka som får läsa dokumentet"),
        choices=lambda: select_choices(VISIBILITIES.items()),
        validate_choice=False,
    )
    organisation_ids = SelectMultipleField(
        _l("Organisationer (om vissa organisationer får läsa)"),
        coerce=int_list,
        validate_choice=False,
    )
    case_number = StringField(
        _l("Diarienummer"),
        validators=[Optional(), Length(max=64)],
        description=_l("Till exempel KUR 2016/77. Lämna tomt om dokumentet inte är diariefört."),
    )
    document_date = date_field(_l("Dokumentets datum"))
    retention = SelectField(
        _l("Bevarande"),
        choices=lambda: select_choices(RETENTIONS.items()),
        validate_choice=False,
    )
    retention_years = IntegerField(
        _l("Gallras efter antal år"),
        validators=[
            Optional(),
            WholeNumberRange(min=1, max=100, message=_l("Ange ett antal år mellan 1 och 100.")),
        ],
        description=_l("Bara om dokumentet ska gallras."),
    )
    submit = SubmitField(_l("Spara dokumentet"))


class VersionForm(FlaskForm):
    file = FileField(_l("Fil"))
    submit = SubmitField(_l("Ladda upp den nya versionen"))


class YearField(IntegerField):
    """A year from 1900 to 2200, with one Swedish message for anything else (WTForms' own
    "not a whole number" and a range's message would both be shown for "tjugo")."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(VALID_YEAR)) from error
        if self.data is not None and not EARLIEST_YEAR <= self.data <= LATEST_YEAR:
            self.data = None
            raise ValueError(str(VALID_YEAR))


class RegisterFilterForm(FlaskForm):
    """The document register's filters: a GET form (downloading changes nothing, so no CSRF
    token). The folder and project are checked again by the register's query."""

    class Meta:
        csrf = False

    folder = SelectField(
        _l("Mapp"),
        coerce=optional_int,
        validate_choice=False,
        description=_l("Med dokumenten i mappens undermappar."),
    )
    project = SelectField(_l("Projekt"), coerce=optional_int, validate_choice=False)
    year = YearField(
        _l("År"),
        validators=[Optional()],
        description=_l(
            "Året i dokumentets datum, eller året det laddades upp om det saknar datum. Lämna "
            "tomt för alla år."
        ),
    )
