"""The document register as CSV or XLSX, with the filters of /dokument/register: one row per
document with its public-record fields, through the same formula-safe writers as the other
downloads. A filter that is not valid shows the register's page again, the message beside it."""

from flask import request
from flask_login import current_user

from portal.accounts.permissions import require_staff
from portal.core.errors import ValidationError
from portal.core.forms import show_error
from portal.core.i18n import _l, translated
from portal.documents.models import RETENTIONS
from portal.documents.register import RegisterRow, register_rows
from portal.documents.register_routes import filter_form, filters_of, register_page
from portal.exports import bp
from portal.exports.writers import download

HEADERS = [
    _l("Diarienummer"),
    _l("Titel"),
    _l("Dokumentets datum"),
    _l("Uppladdat"),
    _l("Bevarande"),
    _l("Gallras efter (år)"),
    _l("Organisation"),
    _l("Projekt"),
    _l("Mapp"),
    _l("Gällande version"),
    _l("Versionen uppladdad"),
    _l("Filnamn"),
    _l("SHA-256"),
    _l("Dokument-id"),
]


@bp.route("/dokument/register.<any(csv, xlsx):file_format>")
@require_staff
def document_register(file_format: str):
    form = filter_form(request.args)
    if not form.validate():
        return register_page(form, 400)
    filters = filters_of(form)
    try:
        rows = register_rows(current_user, filters)
    except ValidationError as error:
        show_error(form, error)
        return register_page(form, 400)
    retentions = translated(RETENTIONS)
    table = [_line(row, retentions) for row in rows]
    filename = "dokumentregister" if filters.year is None else f"dokumentregister-{filters.year}"
    return download(HEADERS, table, filename, file_format)


def _line(row: RegisterRow, retentions: dict[str, str]) -> tuple:
    return (
        row.case_number,
        row.title,
        row.document_date,
        row.registered_on,
        retentions.get(row.retention, row.retention),
        row.retention_years,
        row.organisation,
        row.project,
        row.folder,
        row.version,
        row.version_uploaded_on,
        row.filename,
        row.sha256,
        row.document_id,
    )
