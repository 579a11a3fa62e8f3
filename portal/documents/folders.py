"""Document folders: the tree, one folder's page, and staff creating, renaming, ordering and
deleting folders."""

from dataclasses import dataclass

from sqlalchemy import exists, func, select, update

from portal.accounts.models import User
from portal.core import audit
from portal.core.errors import ValidationError
from portal.core.i18n import _l
from portal.documents.access import readable_with_current
from portal.documents.models import Document, DocumentFolder, DocumentVersion
from portal.extensions import db


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
    return FolderPage(folder, trail, inside, readable_with_current(user, where))


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
