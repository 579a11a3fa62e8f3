"""The bin's pages: staff see what was deleted and restore it within BIN_DAYS."""

from flask import abort, render_template, url_for
from flask_login import current_user

from portal.accounts.permissions import require_staff
from portal.core.forms import ButtonForm, press_button
from portal.core.i18n import _l
from portal.documents import bp, recycle_bin


@bp.route("/dokument/papperskorg")
@require_staff
def document_bin():
    return _bin_page()


def _bin_page(error: str | None = None, status: int = 200):
    return (
        render_template(
            "documents/bin.html",
            documents=recycle_bin.binned_documents(),
            restorable_until=recycle_bin.restorable_until,
            restore_form=ButtonForm(formdata=None),
            error=error,
            bin_days=recycle_bin.BIN_DAYS,
        ),
        status,
    )


@bp.route("/dokument/papperskorg/<id:document_id>/aterstall", methods=["POST"])
@require_staff
def restore_from_bin(document_id: int):
    document = recycle_bin.binned_document(document_id)
    if document is None:
        abort(404)
    return press_button(
        lambda: recycle_bin.restore_from_bin(current_user, document),
        _l("Dokumentet är återställt."),
        url_for("documents.document", document_id=document.id),
        lambda error: _bin_page(str(error.message), 400),
    )
