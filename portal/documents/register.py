"""The document register: every document outside the bin with its public-record fields
(diarienummer, dates, retention, organisation, project, folder, the current version and its
SHA-256), one row per document, for staff to download (portal/exports/document_register.py).

The organisation is that of the person who uploaded the document: the body that holds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import and_, or_, select

from portal.accounts.models import Organisation, User
from portal.accounts.permissions import is_staff
from portal.core.dates import STOCKHOLM
from portal.core.errors import PermissionDenied, ValidationError
from portal.core.i18n import _l
from portal.documents.folders import folder_tree
from portal.documents.models import Document, DocumentFolder, DocumentVersion
from portal.extensions import db
from portal.projects.models import Project

UNKNOWN_CHOICE = _l("Välj bland alternativen i listan.")
# The path of a folder inside others, as the register shows it: "Styrdokument › Planer".
FOLDER_SEPARATOR = " › "


@dataclass(frozen=True)
class RegisterFilters:
    folder_id: int | None = None  # with its subfolders
    project_id: int | None = None
    year: int | None = None  # of the document's date, or of its upload when it has none


@dataclass(frozen=True)
class RegisterRow:
    document_id: int
    case_number: str
    title: str
    document_date: date | None
    registered_on: date  # the day it was uploaded, in Swedish time
    retention: str  # a key of RETENTIONS
    retention_years: int | None
    organisation: str
    project: str
    folder: str
    version: int | None
    version_uploaded_on: date | None
    filename: str
    sha256: str


def register_rows(actor: User, filters: RegisterFilters) -> list[RegisterRow]:
    """The register's rows matching the filters, in the order the documents were registered.
    Staff only: it lists every document, whoever may read it. An unknown folder or project is
    refused beside its field."""
    if not is_staff(actor):
        raise PermissionDenied(_l("Bara länsbibliotekets personal kan ladda ner registret."))
    tree = folder_tree()
    paths = _folder_paths(tree)
    conditions = [Document.deleted_at.is_(None)]
    if filters.folder_id is not None:
        if filters.folder_id not in paths:
            raise ValidationError(UNKNOWN_CHOICE, field="folder")
        conditions.append(Document.folder_id.in_(_with_subfolders(tree, filters.folder_id)))
    if filters.project_id is not None:
        if db.session.get(Project, filters.project_id) is None:
            raise ValidationError(UNKNOWN_CHOICE, field="project")
        conditions.append(Document.project_id == filters.project_id)
    if filters.year is not None:
        conditions.append(_in_year(filters.year))
    query = (
        select(
            Document.id,
            Document.case_number,
            Document.title,
            Document.document_date,
            Document.created_at,
            Document.retention,
            Document.retention_years,
            Document.folder_id,
            Organisation.name.label("organisation"),
            Project.title.label("project"),
            DocumentVersion.number,
            DocumentVersion.uploaded_at,
            DocumentVersion.filename,
            DocumentVersion.sha256,
        )
        .outerjoin(
            DocumentVersion,
            and_(DocumentVersion.document_id == Document.id, DocumentVersion.is_current),
        )
        .outerjoin(Project, Project.id == Document.project_id)
        .outerjoin(User, User.id == Document.created_by_id)
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
        .where(*conditions)
        .order_by(Document.id)
    )
    return [
        RegisterRow(
            document_id=row.id,
            case_number=row.case_number,
            title=row.title,
            document_date=row.document_date,
            registered_on=_local_day(row.created_at),
            retention=row.retention,
            retention_years=row.retention_years,
            organisation=row.organisation or "",
            project=row.project or "",
            folder=paths.get(row.folder_id, "") if row.folder_id is not None else "",
            version=row.number,
            version_uploaded_on=_local_day(row.uploaded_at) if row.uploaded_at else None,
            filename=row.filename or "",
            sha256=row.sha256 or "",
        )
        for row in db.session.execute(query)
    ]


def _folder_paths(tree: list[tuple[DocumentFolder, int]]) -> dict[int, str]:
    """Each folder's path from the top, by id."""
    paths: dict[int, str] = {}
    for folder, _ in tree:  # parents come before their children in the tree
        parent = paths.get(folder.parent_id) if folder.parent_id is not None else None
        paths[folder.id] = (
            folder.name if parent is None else parent + FOLDER_SEPARATOR + folder.name
        )
    return paths


def _with_subfolders(tree: list[tuple[DocumentFolder, int]], folder_id: int) -> set[int]:
    inside = {folder_id}
    for folder, _ in tree:  # parents come before their children in the tree
        if folder.parent_id in inside:
            inside.add(folder.id)
    return inside


def _in_year(year: int):
    """The document's date in the year; without a date, its upload in the year, in Swedish
    time (a document uploaded at 00:30 on New Year's Day belongs to the new year)."""
    first, next_first = date(year, 1, 1), date(year + 1, 1, 1)
    return or_(
        and_(Document.document_date >= first, Document.document_date < next_first),
        and_(
            Document.document_date.is_(None),
            Document.created_at >= _day_start(first),
            Document.created_at < _day_start(next_first),
        ),
    )


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=STOCKHOLM)


def _local_day(moment: datetime) -> date:
    return moment.astimezone(STOCKHOLM).date()
