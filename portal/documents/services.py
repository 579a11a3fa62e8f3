"""Who may read which document, folders, uploads and versions, and the bin.

Staff and admins manage folders, read every document and empty the bin. Others read documents
for everyone, for their organisation, for a project they are on (they lead it, are in its team
or their organisation takes part) and the ones they uploaded themselves. They may upload to the
projects they are on, and change what they uploaded or what belongs to a project they edit.
Deleting moves a document to the bin; staff restore it within BIN_DAYS, after which beat
purges its rows and files.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.orm import selectinload

from portal.accounts.models import Organisation, User
from portal.accounts.permissions import is_staff
from portal.core import after_commit, audit
from portal.core.dates import utcnow
from portal.core.errors import ValidationError
from portal.core.i18n import _l
from portal.documents import extraction, filetypes, notices, storage
from portal.documents.models import (
    RETENTIONS,
    VISIBILITIES,
    Document,
    DocumentFolder,
    DocumentVersion,
    document_organisations,
)
from portal.extensions import db
from portal.projects.dashboard import is_mine
from portal.projects.models import Project
from portal.projects.permissions import can_edit, can_post_update

log = logging.getLogger(__name__)

BIN_DAYS = 30
PENDING_TEXT = "documents_pending_text"
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


def visible_to(user: User):
    """SQL condition on Document: not in the bin, and the user may read it. Search and every
    list here filter with it in the query."""
    if is_staff(user):
        return Document.deleted_at.is_(None)
    conditions = [Document.visibility == "everyone", Document.created_by_id == user.id]
    if user.organisation_id is not None:
        conditions.append(
            and_(
                Document.visibility == "organisations",
                exists().where(
                    document_organisations.c.document_id == Document.id,
                    document_organisations.c.organisation_id == user.organisation_id,
                ),
            )
        )
    conditions.append(and_(Document.visibility == "project", is_mine(user, Document.project_id)))
    return and_(Document.deleted_at.is_(None), or_(*conditions))


def may_upload(user: User, project: Project | None) -> bool:
    """Staff and admins anywhere; others to a project they are on."""
    if is_staff(user):
        return True
    return project is not None and can_post_update(project, user)


def may_upload_somewhere(user: User) -> bool:
    if is_staff(user):
        return True
    mine = select(Project.id).where(is_mine(user, Project.id)).limit(1)
    return db.session.scalar(mine) is not None


def may_change(user: User, document: Document) -> bool:
    """Staff and admins, whoever uploaded it, and the editors of its project."""
    return (
        is_staff(user)
        or document.created_by_id == user.id
        or (document.project is not None and can_edit(document.project, user))
    )


def upload_projects(user: User) -> list[tuple[int, str]]:
    """The projects the user may put documents in: all for staff, their own for others."""
    query = select(Project.id, Project.title).order_by(Project.title, Project.id)
    if not is_staff(user):
        query = query.where(is_mine(user, Project.id))
    return [tuple(row) for row in db.session.execute(query)]


# --- Reading ---------------------------------------------------------------------------------


@dataclass
class FolderPage:
    folder: DocumentFolder | None
    trail: list[DocumentFolder]  # the folders above, outermost first
    folders: list[DocumentFolder]  # the folders inside
    documents: list[tuple[Document, DocumentVersion]]  # each with its current version


def folder_tree() -> list[tuple[DocumentFolder, int]]:
    """Every folder with its depth, in the order shown (one query; folders are few)."""
    folders = list(db.session.scalars(select(DocumentFolder)))
    children: dict[int | None, list[DocumentFolder]] = {}
    for folder in folders:
        children.setdefault(folder.parent_id, []).append(folder)
    ordered: list[tuple[DocumentFolder, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for folder in sorted(children.get(parent_id, []), key=lambda f: (f.position, f.id)):
            ordered.append((folder, depth))
            walk(folder.id, depth + 1)

    walk(None, 0)
    return ordered


def folder_page(user: User, folder: DocumentFolder | None) -> FolderPage:
    tree = folder_tree()
    by_id = {row.id: row for row, _ in tree}
    trail: list[DocumentFolder] = []
    parent_id = folder.parent_id if folder else None
    while parent_id is not None and parent_id in by_id:
        trail.insert(0, by_id[parent_id])
        parent_id = by_id[parent_id].parent_id
    folder_id = folder.id if folder else None
    inside = [row for row, _ in tree if row.parent_id == folder_id]
    where = Document.folder_id == folder_id if folder else Document.folder_id.is_(None)
    return FolderPage(folder, trail, inside, _with_current(user, where))


def project_documents(user: User, project: Project) -> list[tuple[Document, DocumentVersion]]:
    return _with_current(user, Document.project_id == project.id)


def _with_current(user: User, where) -> list[tuple[Document, DocumentVersion]]:
    rows = db.session.execute(
        select(Document, DocumentVersion)
        .join(
            DocumentVersion,
            and_(DocumentVersion.document_id == Document.id, DocumentVersion.is_current),
        )
        .where(where, visible_to(user))
        .order_by(func.lower(Document.title), Document.id)
    )
    return [tuple(row) for row in rows]


def readable_document(user: User, document_id: int) -> Document | None:
    """The document if the user may read it; None (the page answers 404) otherwise."""
    return db.session.scalar(
        select(Document)
        .where(Document.id == document_id, visible_to(user))
        .options(
            selectinload(Document.versions).selectinload(DocumentVersion.uploaded_by),
            selectinload(Document.organisations),
            selectinload(Document.folder),
            selectinload(Document.project),
            selectinload(Document.created_by),
        )
    )


def version_of(document: Document, number: int | None) -> DocumentVersion | None:
    """The numbered version, or the current one when `number` is None."""
    for version in document.versions:
        if (version.number == number) if number is not None else version.is_current:
            return version
    return None


# --- Folders ---------------------------------------------------------------------------------


def create_folder(actor: User, name: str, parent_id: int | None) -> DocumentFolder:
    parent = None
    if parent_id is not None:
        parent = db.session.get(DocumentFolder, parent_id)
        if parent is None:
            raise ValidationError(_l("Välj bland alternativen i listan."), field="parent_id")
    name = _folder_name(name, parent, None)
    last = db.session.scalar(
        select(func.max(DocumentFolder.position)).where(_siblings_of(parent.id if parent else None))
    )
    folder = DocumentFolder(name=name, parent=parent, position=(last or 0) + 1)
    db.session.add(folder)
    db.session.flush()
    audit.record(actor, None, "create", "document_folder", folder.id, {"name": [None, name]})
    return folder


def rename_folder(actor: User, folder: DocumentFolder, name: str) -> None:
    name = _folder_name(name, folder.parent, folder)
    audit.record(actor, None, "update", "document_folder", folder.id, {"name": [folder.name, name]})
    folder.name = name


def move_folder(actor: User, folder: DocumentFolder, step: int) -> None:
    """One place up (step -1) or down (+1) among its siblings."""
    siblings = list(
        db.session.scalars(
            select(DocumentFolder)
            .where(_siblings_of(folder.parent_id))
            .order_by(DocumentFolder.position, DocumentFolder.id)
        )
    )
    index = siblings.index(folder)
    target = index + step
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        sibling.position = position
    audit.record(actor, None, "update", "document_folder", folder.id, {"position": [index, target]})


def delete_folder(actor: User, folder: DocumentFolder) -> None:
    """Only an empty folder: no folders and no documents outside the bin in it."""
    has_children = db.session.scalar(select(exists().where(DocumentFolder.parent_id == folder.id)))
    has_documents = db.session.scalar(
        select(exists().where(Document.folder_id == folder.id, Document.deleted_at.is_(None)))
    )
    if has_children or has_documents:
        raise ValidationError(
            _l("Mappen är inte tom. Flytta eller ta bort det som finns i den först.")
        )
    # Documents in the bin come back outside any folder if they are restored.
    db.session.execute(
        update(Document).where(Document.folder_id == folder.id).values(folder_id=None)
    )
    audit.record(actor, None, "delete", "document_folder", folder.id, {"name": [folder.name, None]})
    db.session.delete(folder)


def _siblings_of(parent_id: int | None):
    if parent_id is None:
        return DocumentFolder.parent_id.is_(None)
    return DocumentFolder.parent_id == parent_id


def _folder_name(name: str, parent: DocumentFolder | None, folder: DocumentFolder | None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError(_l("Ge mappen ett namn."), field="name")
    clash = select(DocumentFolder.id).where(
        _siblings_of(parent.id if parent else None),
        func.lower(DocumentFolder.name) == name.lower(),
    )
    if folder is not None:
        clash = clash.where(DocumentFolder.id != folder.id)
    if db.session.scalar(clash) is not None:
        raise ValidationError(_l("Det finns redan en mapp med det namnet här."), field="name")
    return name


# --- Documents and versions ------------------------------------------------------------------


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
        _queue_extraction(version)
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
    _queue_extraction(version)
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


# --- The bin ---------------------------------------------------------------------------------


def delete_document(actor: User, document: Document, now: datetime | None = None) -> None:
    document.deleted_at = now or utcnow()
    document.deleted_by = actor
    audit.record(actor, document.project_id, "delete", "document", document.id, {})


def restorable_until(document: Document) -> datetime:
    return document.deleted_at + timedelta(days=BIN_DAYS)


def binned_documents() -> list[Document]:
    return list(
        db.session.scalars(
            select(Document)
            .where(Document.deleted_at.is_not(None))
            .options(selectinload(Document.deleted_by))
            .order_by(Document.deleted_at.desc(), Document.id.desc())
        )
    )


def binned_document(document_id: int) -> Document | None:
    return db.session.scalar(
        select(Document).where(Document.id == document_id, Document.deleted_at.is_not(None))
    )


def restore_from_bin(actor: User, document: Document, now: datetime | None = None) -> None:
    if (now or utcnow()) > restorable_until(document):
        raise ValidationError(
            _l(
                "Dokumentet har legat i papperskorgen i mer än %(days)s dagar och kan inte "
                "återställas.",
                days=BIN_DAYS,
            )
        )
    document.deleted_at = None
    document.deleted_by = None
    audit.record(actor, document.project_id, "restore", "document", document.id, {})


def purge_bin(now: datetime | None = None) -> list[int]:
    """Documents in the bin longer than BIN_DAYS go for good: rows now, files after commit."""
    cutoff = (now or utcnow()) - timedelta(days=BIN_DAYS)
    documents = list(
        db.session.scalars(
            select(Document)
            .where(Document.deleted_at < cutoff)
            .options(selectinload(Document.versions))
        )
    )
    keys = {version.storage_key for document in documents for version in document.versions}
    purged = [document.id for document in documents]
    for document in documents:
        audit.record(None, document.project_id, "purge", "document", document.id, {})
        db.session.delete(document)
    db.session.flush()
    if keys:
        still_used = set(
            db.session.scalars(
                select(DocumentVersion.storage_key).where(DocumentVersion.storage_key.in_(keys))
            )
        )
        storage.remove_after_commit(db.session(), keys - still_used)
    return purged


# --- Text for search -------------------------------------------------------------------------


def _queue_extraction(version: DocumentVersion) -> None:
    after_commit.remember(PENDING_TEXT, version.id)


def extract_version_text(version_id: int) -> str | None:
    """Fill in the version's text (once). A file that cannot be read leaves "" and a log line;
    it never touches the upload itself."""
    version = db.session.get(DocumentVersion, version_id)
    if version is None or version.extracted_at is not None:
        return None
    try:
        text = extraction.text_of(storage.path_of(version.storage_key), version.mime_type)
    except Exception:  # a damaged or hostile file: no text, and the upload stands
        log.exception("Could not extract text from document version %s", version_id)
        text = ""
    # Whether the version is still the current one, whose text search reads, is read under
    # its document's row lock: an upload or restore committing meanwhile is then either
    # already seen or writes the document after this (see Document.current_text).
    db.session.execute(
        select(Document.id).where(Document.id == version.document_id).with_for_update()
    )
    db.session.refresh(version, ["is_current"])
    version.extracted_text = text
    version.extracted_at = utcnow()
    return text


def versions_without_text(older_than: timedelta = timedelta(minutes=10)) -> list[int]:
    """Versions whose extraction task never ran (the broker was down), for beat to resend."""
    return list(
        db.session.scalars(
            select(DocumentVersion.id).where(
                DocumentVersion.extracted_at.is_(None),
                DocumentVersion.uploaded_at < utcnow() - older_than,
            )
        )
    )
