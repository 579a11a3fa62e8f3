"""The text of each document version, which search reads: queued with the upload, extracted
once by a task sent after the commit, and resent by beat for versions whose task never ran."""

import logging
from datetime import timedelta

from sqlalchemy import select

from portal.core import after_commit
from portal.core.dates import utcnow
from portal.documents import extraction, storage
from portal.documents.models import Document, DocumentVersion
from portal.extensions import db

log = logging.getLogger(__name__)

PENDING_TEXT = "documents_pending_text"


def queue_extraction(version: DocumentVersion) -> None:
    """The extraction task is sent once the transaction commits (`tasks.register_commit_hooks`)."""
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
