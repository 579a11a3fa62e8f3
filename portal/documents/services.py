"""A document and its versions: uploading one with its fields, changing the fields, uploading a
new version and making an old version current again.

Who may do which is in `access`; a deleted document goes to the bin (`recycle_bin`); each
version's text for search is extracted after the commit (`search_text`).
"""

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import select

from portal.accounts.models import Organisation, User
from portal.core import audit
from portal.core.errors import ValidationError
from portal.core.i18n import _l
from portal.documents import filetypes, notices, storage
from portal.documents.access import may_upload, readable_document
from portal.documents.models import (
    RETENTIONS,
    VISIBILITIES,
    Document,
    DocumentFolder,
    DocumentVersion,
)
from portal.documents.search_text import queue_extraction
from portal.extensions import db
from portal.projects.models import Project

METADATA = [
    "title",
    "description",
    "folder_id",
    "project_id",
    "visibility",
    "case_number",
    "document_date",
    "retention",
    "retention_years",
]


def version_of(document: Document, number: int | None) -> DocumentVersion | None:
    """The numbered version, or the current one when `number` is None."""
    for version in document.versions:
        if (version.number == number) if number is not None else version.is_current:
            return version
    return None


@dataclass
class DocumentFields:
    title: str
    description: str = ""
    folder_id: int | None = None
    project_id: int | None = None
    visibility: str = "everyone"
    organisation_ids: list[int] | None = None
    case_number: str = ""
    document_date: date | None = None
    retention: str = "keep"
    retention_years: int | None = None


@dataclass
class Upload:
    """The file as the person sent it: a readable stream and the name it had."""

    stream: object
    filename: str


def upload_document(actor: User, fields: DocumentFields, upload: Upload) -> Document:
    """A new document with its first version. The fields are checked before the file is read;
    nothing is kept unless both are accepted."""
    values, organisations = _checked(actor, fields)
    received = _received(upload)
    document = Document(created_by=actor, organisations=organisations, **values)
    db.session.add(document)
    _add_version(actor, document, received, upload.filename, number=1)
    audit.record(
        actor,
        document.project_id,
        "create",
        "document",
        document.id,
        audit.changes_between({}, audit.snapshot(document, METADATA)),
    )
    return document


def update_document(actor: User, document: Document, fields: DocumentFields) -> None:
    values, organisations = _checked(actor, fields, document)
    before = audit.snapshot(document, METADATA)
    for name, value in values.items():
        setattr(document, name, value)
    document.organisations = organisations
    db.session.flush()
    changes = audit.changes_between(before, audit.snapshot(document, METADATA))
    audit.record(actor, document.project_id, "update", "document", document.id, changes)


def upload_version(actor: User, document: Document, upload: Upload) -> DocumentVersion:
    received = _received(upload)
    number = max(version.number for version in document.versions) + 1
    version = _add_version(actor, document, received, upload.filename, number)
    audit.record(
        actor,
        document.project_id,
        "version",
        "document",
        document.id,
        {"version": [number - 1, number], "filename": [None, version.filename]},
    )
    return version


def restore_version(actor: User, document: Document, number: int) -> DocumentVersion:
    """The old version becomes the current one as a new version pointing at the same file;
    the history keeps every version as it was."""
    old = version_of(document, number)
    if old is None:
        raise ValidationError(_l("Versionen finns inte."))
    if old.is_current:
        raise ValidationError(_l("Versionen är redan den gällande."))
    newest = max(version.number for version in document.versions)
    _make_current(document)
    version = DocumentVersion(
        number=newest + 1,
        is_current=True,
        filename=old.filename,
        mime_type=old.mime_type,
        size_bytes=old.size_bytes,
        sha256=old.sha256,
        storage_key=old.storage_key,
        restored_from=old.number,
        uploaded_by=actor,
        extracted_text=old.extracted_text,
        extracted_at=old.extracted_at,
    )
    document.versions.insert(0, version)
    db.session.flush()
    if version.extracted_at is None:
        queue_extraction(version)
    audit.record(
        actor,
        document.project_id,
        "version",
        "document",
        document.id,
        {"version": [newest, version.number], "restored_from": [None, old.number]},
    )
    return version


def _received(upload: Upload) -> storage.Received:
    if upload.stream is None:
        raise ValidationError(_l("Välj en fil att ladda upp."), field="file")
    received = storage.receive(upload.stream, current_app.config["DOCUMENT_MAX_BYTES"])
    if received.size == 0:
        storage.discard(received)
        raise ValidationError(filetypes.EMPTY, field="file")
    try:
        received.mime_type = filetypes.sniff(received.path)
    except BaseException:
        storage.discard(received)
        raise
    return received


def _add_version(
    actor: User, document: Document, received: storage.Received, filename: str, number: int
) -> DocumentVersion:
    key = storage.keep(db.session(), received)
    _make_current(document)
    version = DocumentVersion(
        number=number,
        is_current=True,
        filename=clean_filename(filename),
        mime_type=received.mime_type,
        size_bytes=received.size,
        sha256=received.sha256,
        storage_key=key,
        uploaded_by=actor,
    )
    document.versions.insert(0, version)
    db.session.flush()
    queue_extraction(version)
    notices.tell_project_about(actor, document, version, readable_document)
    return version


def _make_current(document: Document) -> None:
    for version in document.versions:
        version.is_current = False


def clean_filename(name: str | None) -> str:
    """The name as a label only: no folders (`../`), no NUL or other control characters,
    no leading dots; never used for a path."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if char.isprintable()).strip().lstrip(".").strip()
    if len(name) > 200:
        stem, dot, extension = name.rpartition(".")
        name = f"{stem[:180]}.{extension[:15]}" if dot and stem else name[:200]
    return name or "dokument"


def _checked(actor: User, fields: DocumentFields, document: Document | None = None):
    """The fields as column values, with the chosen organisations; Swedish messages by field."""
    if fields.visibility not in VISIBILITIES:
        raise ValidationError(_l("Välj vilka som får läsa dokumentet."), field="visibility")
    if fields.retention not in RETENTIONS:
        raise ValidationError(_l("Välj hur dokumentet ska bevaras."), field="retention")
    years = fields.retention_years
    if fields.retention == "cull" and (years is None or not 1 <= years <= 100):
        raise ValidationError(
            _l("Ange efter hur många år (1–100) dokumentet gallras."), field="retention_years"
        )
    folder = None
    if fields.folder_id is not None:
        folder = db.session.get(DocumentFolder, fields.folder_id)
        if folder is None:
            raise ValidationError(_l("Välj bland alternativen i listan."), field="folder_id")
    project = None
    if fields.project_id is not None:
        project = db.session.get(Project, fields.project_id)
        if project is None:
            raise ValidationError(_l("Välj bland alternativen i listan."), field="project_id")
    same_project = document is not None and document.project_id == fields.project_id
    if not same_project and not may_upload(actor, project):
        raise ValidationError(
            _l("Du kan lägga dokument i de projekt du är med i. Välj ett av dem."),
            field="project_id",
        )
    if fields.visibility == "project" and project is None:
        raise ValidationError(
            _l("Välj projektet vars grupp och deltagare får läsa dokumentet."),
            field="project_id",
        )
    organisations = []
    wanted = set(fields.organisation_ids or []) if fields.visibility == "organisations" else set()
    if wanted:
        organisations = list(
            db.session.scalars(select(Organisation).where(Organisation.id.in_(wanted)))
        )
        if len(organisations) != len(wanted):
            raise ValidationError(_l("Välj bland alternativen i listan."), field="organisation_ids")
    if fields.visibility == "organisations" and not organisations:
        raise ValidationError(
            _l("Välj minst en organisation som får läsa dokumentet."), field="organisation_ids"
        )
    values = {
        "title": fields.title.strip(),
        "description": (fields.description or "").strip(),
        "folder_id": folder.id if folder else None,
        "project_id": project.id if project else None,
        "visibility": fields.visibility,
        "case_number": (fields.case_number or "").strip(),
        "document_date": fields.document_date,
        "retention": fields.retention,
        "retention_years": years if fields.retention == "cull" else None,
    }
    return values, organisations
