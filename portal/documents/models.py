"""A document: title, description and public-record fields, in a folder and perhaps attached to
a project, readable by everyone, some organisations or one project's team and participants.
Its file lives in versions; the current one is what is downloaded and searched.

The cached start page lists the documents of a person's projects, so writing a document or a
version renews the read cache; no cached page shows folders."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    inspect,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship
from sqlalchemy.orm.attributes import flag_modified

from portal.accounts.models import Organisation, User
from portal.core import after_commit
from portal.core.dates import UTCDateTime, utcnow
from portal.core.i18n import _l
from portal.extensions import Model, db
from portal.projects.models import Project

VISIBILITIES = {
    "everyone": _l("Alla i portalen"),
    "organisations": _l("Vissa organisationer"),
    "project": _l("Projektets grupp och deltagare"),
}
# How much of a version's text search reads: PostgreSQL refuses a tsvector over 1 MB, which
# 300 000 characters of even unique words stay well below (about 100 pages of prose).
SEARCHED_TEXT_CHARS = 300_000
RETENTIONS = {
    "keep": _l("Bevaras"),
    "cull": _l("Gallras efter ett antal år"),
}

document_organisations = Table(
    "document_organisations",
    db.metadata,
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id"), primary_key=True),
)


class DocumentFolder(Model):
    """A folder; folders nest and keep the order staff give them (`position`)."""

    __tablename__ = "document_folders"
    read_cache_ignored = True

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("document_folders.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    parent: Mapped[DocumentFolder | None] = relationship(
        remote_side=[id], back_populates="children"
    )
    children: Mapped[list[DocumentFolder]] = relationship(
        back_populates="parent", order_by="(DocumentFolder.position, DocumentFolder.id)"
    )


class Document(Model):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    folder_id: Mapped[int | None] = mapped_column(
        ForeignKey("document_folders.id", ondelete="SET NULL"), index=True
    )
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="SET NULL"), index=True
    )
    visibility: Mapped[str] = mapped_column(String(16), default="everyone")
    case_number: Mapped[str] = mapped_column(String(64), default="")
    document_date: Mapped[date | None] = mapped_column(Date)
    retention: Mapped[str] = mapped_column(String(8), default="keep")
    retention_years: Mapped[int | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # In the bin since then; purged (rows and files) after the bin's days.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The current version's extracted text (its first SEARCHED_TEXT_CHARS), kept here by
    # `_follow_current_version` so that search indexes a document as one row: title,
    # description and text. None until the text is extracted.
    current_text: Mapped[str | None] = mapped_column(Text)

    folder: Mapped[DocumentFolder | None] = relationship()
    project: Mapped[Project | None] = relationship()
    organisations: Mapped[list[Organisation]] = relationship(secondary=document_organisations)
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    deleted_by: Mapped[User | None] = relationship(foreign_keys=[deleted_by_id])
    versions: Mapped[list[DocumentVersion]] = relationship(
        back_populates="document",
        cascade="all, delete-orphan",
        order_by="DocumentVersion.number.desc()",
    )

    @property
    def current(self) -> DocumentVersion | None:
        return next((version for version in self.versions if version.is_current), None)


class DocumentVersion(Model):
    """One uploaded file. `storage_key` names the file under instance/documents; restoring an
    old version adds a new version pointing at the same file, so history is never rewritten.
    `extracted_text` is filled by a task after upload (None until then, "" if it failed)."""

    __tablename__ = "document_versions"
    __table_args__ = (
        UniqueConstraint("document_id", "number", name="uq_document_versions_number"),
        Index("ix_document_versions_current", "document_id", "is_current"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    number: Mapped[int]
    is_current: Mapped[bool] = mapped_column(default=False)
    filename: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(64), index=True)
    restored_from: Mapped[int | None]
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    extracted_text: Mapped[str | None] = mapped_column(Text)
    extracted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    document: Mapped[Document] = relationship(back_populates="versions")
    uploaded_by: Mapped[User | None] = relationship()


def register_flush_hooks() -> None:
    after_commit.before_flush("document_text_follows_version", _follow_current_version)


def _follow_current_version(session: Session) -> None:
    """Whenever a version becomes current or the current one gets its text, its document's
    `current_text` follows, whoever wrote the version (the services, the extraction task in the
    worker, the demo). The document row is always written, so that the row lock orders a
    concurrent upload and extraction."""
    for version in [*session.new, *session.dirty]:
        if not isinstance(version, DocumentVersion) or not version.is_current:
            continue
        state = inspect(version)
        changed = state.pending or any(
            state.attrs[name].history.has_changes() for name in ("is_current", "extracted_text")
        )
        if changed and version.document is not None:
            text = version.extracted_text
            version.document.current_text = None if text is None else text[:SEARCHED_TEXT_CHARS]
            flag_modified(version.document, "current_text")
