"""The bin: deleting moves a document there; staff restore it within BIN_DAYS, after which
beat purges its rows and files."""

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.core import audit
from portal.core.dates import utcnow
from portal.core.errors import ValidationError
from portal.core.i18n import _l
from portal.documents import storage
from portal.documents.models import Document, DocumentVersion
from portal.extensions import db

BIN_DAYS = 30


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
