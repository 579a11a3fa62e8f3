"""Forms for folders, documents and versions. Selects are checked again by the service, so a
forged id is refused with a Swedish message; the file's type is decided by the service too."""

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
    REQUIRED,
    WholeNumberRange,
    date_field,
    int_list,
    optional_int,
    select_choices,
)
from portal.core.i18n import _l
from portal.documents.models import RETENTIONS, VISIBILITIES

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
