"""Document pages: a document with its versions, uploading and changing it, downloads, deleting
it to the bin, and a project's documents. Uploads may be larger than other requests (and a
request past the limit gets its own 413 page)."""

import re
import unicodedata
from urllib.parse import quote

from flask import abort, current_app, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from portal.core.forms import (
    ButtonForm,
    int_or_none,
    press_button,
    save_form,
    select_choices,
)
from portal.core.i18n import _l, translated
from portal.documents import access, bp, filetypes, recycle_bin, services, storage
from portal.documents.folder_routes import folder_choices, folder_url
from portal.documents.forms import (
    FILE_HINT,
    DocumentForm,
    VersionForm,
)
from portal.documents.models import RETENTIONS, VISIBILITIES, Document
from portal.projects import choices as project_choices
from portal.projects.lookup import project_by_slug

UPLOADS = {"documents.new_document", "documents.new_version"}
# Room for the form's other fields next to the file itself.
FORM_ROOM = 1024 * 1024


@bp.url_value_preprocessor
def allow_large_uploads(endpoint, values):
    """Uploads may be as large as DOCUMENT_MAX_BYTES; every other request keeps the portal's
    MAX_CONTENT_LENGTH. (This runs before the CSRF check reads the form.)"""
    if endpoint in UPLOADS and request.method == "POST":
        request.max_content_length = current_app.config["DOCUMENT_MAX_BYTES"] + FORM_ROOM


@bp.errorhandler(413)
def too_large(error):
    if request.endpoint not in UPLOADS:
        return render_template("errors/error.html", code=413), 413
    megabytes = current_app.config["DOCUMENT_MAX_BYTES"] // (1024 * 1024)
    detail = _l(
        "Filen är större än %(megabytes)s MB, som är det största portalen tar emot. Inget har "
        "sparats. Dela upp filen eller gör den mindre och försök igen.",
        megabytes=megabytes,
    )
    return render_template("errors/error.html", code=413, detail=detail), 413


def _saved(form, change, message, target):
    """`save_form`, where an upload past DOCUMENT_MAX_BYTES becomes the 413 page with nothing
    kept."""
    try:
        return save_form(form, change, message, target)
    except storage.TooLarge:
        abort(413)


def _readable_or_404(document_id: int) -> Document:
    document = access.readable_document(current_user, document_id)
    if document is None:
        abort(404)
    return document


def _changeable_or_403(document_id: int) -> Document:
    document = _readable_or_404(document_id)
    if not access.may_change(current_user, document):
        abort(403)
    return document


@bp.route("/dokument/<id:document_id>")
@login_required
def document(document_id: int):
    return _document_page(_readable_or_404(document_id), VersionForm(formdata=None))


def _document_page(document: Document, version_form: VersionForm, status: int = 200):
    may_change = access.may_change(current_user, document)
    version_form.file.description = _file_hint()
    return (
        render_template(
            "documents/document.html",
            document=document,
            current=services.version_of(document, None),
            may_change=may_change,
            version_form=version_form,
            restore_form=ButtonForm(formdata=None),
            delete_form=ButtonForm(formdata=None),
            bin_days=recycle_bin.BIN_DAYS,
            kinds=translated(filetypes.KINDS),
            visibilities=translated(VISIBILITIES),
            retentions=translated(RETENTIONS),
        ),
        status,
    )


def _file_hint() -> str:
    return str(FILE_HINT) % {"megabytes": current_app.config["DOCUMENT_MAX_BYTES"] // 2**20}


def _document_form(document: Document | None, **overrides) -> DocumentForm:
    data = None
    if document is not None:
        data = {
            "title": document.title,
            "description": document.description,
            "folder_id": document.folder_id,
            "project_id": document.project_id,
            "visibility": document.visibility,
            "organisation_ids": [organisation.id for organisation in document.organisations],
            "case_number": document.case_number,
            "document_date": document.document_date,
            "retention": document.retention,
            "retention_years": document.retention_years,
        }
    elif overrides:
        data = overrides
    form = DocumentForm(data=data)
    form.folder_id.choices = folder_choices(_l("Ingen mapp"))
    projects = access.upload_projects(current_user)
    kept = document is not None and document.project is not None
    if kept and all(project_id != document.project_id for project_id, _ in projects):
        projects.append((document.project_id, document.project.title))
    form.project_id.choices = select_choices([("", _l("Inget projekt")), *projects])
    form.organisation_ids.choices = select_choices(project_choices.organisation_choices())
    form.file.description = _file_hint()
    return form


def _fields(form: DocumentForm) -> services.DocumentFields:
    return services.DocumentFields(
        title=form.title.data or "",
        description=form.description.data or "",
        folder_id=form.folder_id.data,
        project_id=form.project_id.data,
        visibility=form.visibility.data,
        organisation_ids=form.organisation_ids.data or [],
        case_number=form.case_number.data or "",
        document_date=form.document_date.data,
        retention=form.retention.data,
        retention_years=form.retention_years.data,
    )


def _upload(form_file) -> services.Upload:
    upload = form_file.data
    if upload is None or not getattr(upload, "filename", None):
        return services.Upload(stream=None, filename="")
    return services.Upload(stream=upload.stream, filename=upload.filename)


@bp.route("/dokument/ny", methods=["GET", "POST"])
@login_required
def new_document():
    """Staff upload anywhere; others to a project they are on (the form offers only those),
    so a member on no project is refused."""
    if not access.may_upload_somewhere(current_user):
        abort(403)
    form = _document_form(
        None,
        folder_id=int_or_none(request.args.get("mapp")),
        project_id=int_or_none(request.args.get("projekt")),
        visibility="project" if request.args.get("projekt") else "everyone",
    )
    done = _saved(
        form,
        lambda: services.upload_document(current_user, _fields(form), _upload(form.file)),
        _l("Dokumentet är uppladdat."),
        lambda created: url_for("documents.document", document_id=created.id),
    )
    if done:
        return done
    return render_template("documents/form.html", form=form, document=None)


@bp.route("/dokument/<id:document_id>/andra", methods=["GET", "POST"])
@login_required
def edit_document(document_id: int):
    document = _changeable_or_403(document_id)
    form = _document_form(document)
    done = _saved(
        form,
        lambda: services.update_document(current_user, document, _fields(form)),
        _l("Dokumentet är sparat."),
        lambda _: url_for("documents.document", document_id=document.id),
    )
    if done:
        return done
    return render_template("documents/form.html", form=form, document=document)


@bp.route("/dokument/<id:document_id>/versioner", methods=["POST"])
@login_required
def new_version(document_id: int):
    document = _changeable_or_403(document_id)
    form = VersionForm()
    done = _saved(
        form,
        lambda: services.upload_version(current_user, document, _upload(form.file)),
        _l("En ny version är uppladdad."),
        lambda _: url_for("documents.document", document_id=document.id),
    )
    if done:
        return done
    return _document_page(document, form, 400)


@bp.route("/dokument/<id:document_id>/ladda-ner")
@login_required
def download(document_id: int):
    return send_version(_readable_or_404(document_id), None)


@bp.route("/dokument/<id:document_id>/versioner/<id:number>/ladda-ner")
@login_required
def download_version(document_id: int, number: int):
    return send_version(_readable_or_404(document_id), number)


def send_version(document: Document, number: int | None):
    """The version's file as a download (the current one when `number` is None), for the
    pages and the read API alike."""
    version = services.version_of(document, number)
    if version is None:
        abort(404)
    path = storage.path_of(version.storage_key)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=version.mime_type, as_attachment=True, etag=False)
    response.headers["Content-Disposition"] = content_disposition(version.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def content_disposition(filename: str) -> str:
    """Always a download: the name percent-encoded as UTF-8, with a plain ASCII fallback."""
    letters = unicodedata.normalize("NFKD", filename)
    fallback = "".join(char for char in letters if not unicodedata.combining(char))
    fallback = re.sub(r"[^A-Za-z0-9._ ()-]", "_", fallback).strip() or "dokument"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


@bp.route("/dokument/<id:document_id>/versioner/<id:number>/aterstall", methods=["POST"])
@login_required
def restore_version(document_id: int, number: int):
    document = _changeable_or_403(document_id)
    if services.version_of(document, number) is None:
        abort(404)

    def refused(error):
        version_form = VersionForm(formdata=None)
        version_form.form_errors.append(str(error.message))
        return _document_page(_readable_or_404(document_id), version_form, 400)

    return press_button(
        lambda: services.restore_version(current_user, document, number),
        lambda version: _l(
            "Version %(old)s är gällande igen, som version %(new)s.", old=number, new=version.number
        ),
        url_for("documents.document", document_id=document.id),
        refused,
    )


@bp.route("/dokument/<id:document_id>/ta-bort", methods=["POST"])
@login_required
def delete_document(document_id: int):
    document = _changeable_or_403(document_id)
    return press_button(
        lambda: recycle_bin.delete_document(current_user, document),
        _l(
            "Dokumentet ligger i papperskorgen. Länsbiblioteket kan återställa det inom "
            "%(days)s dagar.",
            days=recycle_bin.BIN_DAYS,
        ),
        folder_url(document.folder_id),
    )


@bp.route("/projekt/<slug>/dokument")
@login_required
def project_documents(slug: str):
    project = project_by_slug(slug)
    return render_template(
        "documents/project.html",
        project=project,
        documents=access.project_documents(current_user, project),
        may_upload=access.may_upload(current_user, project),
        kinds=translated(filetypes.KINDS),
        active_tab="documents",
    )
