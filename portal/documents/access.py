"""Who may read, upload and change which document, and reading just what a person may read.

Staff and admins read every document. Others read documents for everyone, for their
organisation, for a project they are on (they lead it, are in its team or their organisation
takes part) and the ones they uploaded themselves. They may upload to the projects they are on,
and change what they uploaded or what belongs to a project they edit.
"""

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.accounts.permissions import is_staff
from portal.documents.models import Document, DocumentVersion, document_organisations
from portal.extensions import db
from portal.projects.dashboard import is_mine
from portal.projects.models import Project
from portal.projects.permissions import can_edit, can_post_update


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


def project_documents(user: User, project: Project) -> list[tuple[Document, DocumentVersion]]:
    return readable_with_current(user, Document.project_id == project.id)


def readable_with_current(user: User, where) -> list[tuple[Document, DocumentVersion]]:
    """The documents matching `where` that the user may read, each with its current version,
    by title."""
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
