"""A document: title, description and public-record fields, in a folder and perhaps attached to
a project, readable by everyone, some organisations or one project's team and participants.
Its file lives in versions; the current one is what is downloaded and searched.

No cached page shows documents: writing them leaves the read cache alone."""

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
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import Organisation, User
from portal.core.dates import UTCDateTime, utcnow
from portal.core.i18n import _l
from portal.extensions import db
from portal.projects.models import Project

VISIBILITIES = {
    "everyone": _l("Alla i portalen"),
    "organisations": _l("Vissa organisationer"),
    "project": _l("Projektets grupp och deltagare"),
}
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


class DocumentFolder(db.Model):
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


class Document(db.Model):
    __tablename__ = "documents"
    read_cache_ignored = True

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


class DocumentVersion(db.Model):
    """One uploaded file. `storage_key` names the file under instance/documents; restoring an
    old version adds a new version pointing at the same file, so history is never rewritten.
    `extracted_text` is filled by a task after upload (None until then, "" if it failed)."""

    __tablename__ = "document_versions"
    __table_args__ = (
        UniqueConstraint("document_id", "number", name="uq_document_versions_number"),
        Index("ix_document_versions_current", "document_id", "is_current"),
    )
    read_cache_ignored = True

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
