"""Everything the portal holds about one person, as a zip: `uppgifter.json` and the files of
the document versions they uploaded (under `filer/`).

The archive is written into a file object the caller gives (the view spools it to disk past a
few megabytes), the JSON through a text stream and each file copied in chunks, so neither a
big archive nor a big file sits whole in memory.
"""

import io
import json
import shutil
import zipfile
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import IO, Any

from sqlalchemy import func, or_, select

from portal.accounts.api_tokens.models import ApiToken
from portal.accounts.mfa.models import RecoveryCode, TotpFactor
from portal.accounts.models import FeedToken, Invitation, Passkey, User, UserSession
from portal.accounts.sso.models import ExternalIdentity
from portal.calendar.models import Event
from portal.core.audit import AuditEntry
from portal.core.dates import utcnow
from portal.documents import storage
from portal.documents.models import Document, DocumentVersion
from portal.extensions import db
from portal.news.models import NewsComment, NewsItem
from portal.notifications.models import DigestEntry, OutboundEmail
from portal.notifications.preferences import frequencies_of
from portal.notifications.retention import retention_cutoff
from portal.projects.models import ProgressUpdate, Project, project_followers, project_team
from portal.reports.models import ReportVersion

JSON_NAME = "uppgifter.json"
FILES_FOLDER = "filer"
FORMAT_VERSION = 1


def archive_name(user: User) -> str:
    return f"mina-uppgifter-{user.id}-{utcnow():%Y-%m-%d}.zip"


def write_archive(user: User, out: IO[bytes]) -> None:
    """The zip of `user`'s data into `out`."""
    versions = uploaded_versions(user)
    data = personal_data(user, versions)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with io.TextIOWrapper(archive.open(JSON_NAME, "w"), encoding="utf-8") as text:
            json.dump(data, text, ensure_ascii=False, indent=2, default=_plain)
        for version in versions:
            path = storage.path_of(version.storage_key)
            if not path.exists():
                continue
            with path.open("rb") as source, archive.open(_file_name(version), "w") as target:
                shutil.copyfileobj(source, target, storage.CHUNK)


def personal_data(user: User, versions: list[DocumentVersion] | None = None) -> dict[str, Any]:
    """The JSON document: every section the person's data lives in, by its English key."""
    versions = uploaded_versions(user) if versions is None else versions
    return {
        "format_version": FORMAT_VERSION,
        "exported_at": utcnow(),
        "profile": _row(
            user,
            "id",
            "email",
            "name",
            "title",
            "phone",
            "language",
            "active",
            "created_at",
            "last_login_at",
        ),
        "organisation": _row(user.organisation, "id", "name", "kind")
        if user.organisation
        else None,
        "role": {"code": user.role, "label": user.role_label},
        "projects": _projects(user),
        "notification_choices": frequencies_of(user),
        "waiting_digest_entries": [
            _row(row, "kind", "frequency", "title", "summary", "link", "created_at")
            for row in _rows(DigestEntry, DigestEntry.user_id == user.id, DigestEntry.id)
        ],
        "invitations": [
            _row(row, "role", "created_at", "expires_at", "accepted_at")
            for row in _rows(Invitation, func.lower(Invitation.email) == user.email, Invitation.id)
        ],
        "sessions": [
            _row(row, "created_at", "ended_at", "user_agent", "ip_address")
            for row in _rows(UserSession, UserSession.user_id == user.id, UserSession.id)
        ],
        # The feed addresses' secrets are kept only as hashes; which feeds exist is listed.
        "feed_tokens": [
            _row(row, "kind", "created_at")
            for row in _rows(FeedToken, FeedToken.user_id == user.id, FeedToken.kind)
        ],
        # The app's secret and the recovery codes' hashes are not shown: whether they are on is.
        "second_factor": {
            "app": [
                _row(row, "created_at", "confirmed_at")
                for row in _rows(TotpFactor, TotpFactor.user_id == user.id, TotpFactor.user_id)
            ],
            "recovery_codes": [
                _row(row, "created_at", "used_at")
                for row in _rows(RecoveryCode, RecoveryCode.user_id == user.id, RecoveryCode.id)
            ],
        },
        # A passkey's public key and counter prove nothing about the person; its name and use do.
        "passkeys": [
            _row(row, "name", "transports", "created_at", "last_used_at")
            for row in _rows(Passkey, Passkey.user_id == user.id, Passkey.id)
        ],
        # A personal access token's secret was never kept; its name and dates are listed.
        "api_tokens": [
            _row(row, "name", "scope", "created_at", "expires_at", "last_used_at", "revoked_at")
            for row in _rows(ApiToken, ApiToken.user_id == user.id, ApiToken.id)
        ],
        # The municipal accounts linked to this one: the IdP and the IdP's name for the person.
        "external_identities": [
            _row(row, "issuer", "subject", "created_at", "last_login_at")
            for row in _rows(
                ExternalIdentity, ExternalIdentity.user_id == user.id, ExternalIdentity.id
            )
        ],
        "news_items": [
            _row(row, "id", "title", "body", "status", "publish_at", "created_at", "updated_at")
            for row in _rows(NewsItem, NewsItem.author_id == user.id, NewsItem.id)
        ],
        "news_comments": [
            _row(row, "id", "news_id", "body", "created_at", "edited_at")
            for row in _rows(NewsComment, NewsComment.author_id == user.id, NewsComment.id)
        ],
        "progress_updates": [
            _row(row, "id", "project_id", "reported_on", "text", "health", "created_at")
            for row in _rows(ProgressUpdate, ProgressUpdate.author_id == user.id, ProgressUpdate.id)
        ],
        "report_versions": [
            _row(row, "id", "report_id", "number", "sections", "created_at")
            for row in _rows(ReportVersion, ReportVersion.author_id == user.id, ReportVersion.id)
        ],
        "documents": [
            _row(
                row,
                "id",
                "title",
                "description",
                "case_number",
                "document_date",
                "created_at",
                "updated_at",
                "deleted_at",
            )
            for row in _rows(Document, Document.created_by_id == user.id, Document.id)
        ],
        "document_versions": [
            _row(version, "id", "document_id", "number", "filename", "mime_type", "size_bytes")
            | {
                "sha256": version.sha256,
                "uploaded_at": version.uploaded_at,
                "file_in_archive": _file_name(version),
            }
            for version in versions
        ],
        "calendar_events": [
            _row(row, "id", "title", "starts_at", "ends_at", "place", "description")
            for row in _rows(Event, Event.author_id == user.id, Event.id)
        ],
        "audit_entries": [
            _row(row, "id", "at", "action", "entity", "entity_id", "project_id", "changes")
            | {"by_you": row.actor_id == user.id}
            for row in _rows(
                AuditEntry,
                or_(
                    AuditEntry.actor_id == user.id,
                    (AuditEntry.entity == "user") & (AuditEntry.entity_id == user.id),
                ),
                AuditEntry.id,
            )
        ],
        "emails_to_you": [
            _row(row, "created_at", "sent_at", "status", "subject", "template", "text_body")
            for row in _rows(
                OutboundEmail,
                (func.lower(OutboundEmail.recipient) == user.email)
                & (OutboundEmail.created_at >= retention_cutoff()),
                OutboundEmail.id,
            )
        ],
    }


def uploaded_versions(user: User) -> list[DocumentVersion]:
    return list(
        _rows(DocumentVersion, DocumentVersion.uploaded_by_id == user.id, DocumentVersion.id)
    )


def _projects(user: User) -> list[dict]:
    """The projects the person leads, is in the team of or follows."""
    team = select(project_team.c.project_id).where(project_team.c.user_id == user.id)
    followed = select(project_followers.c.project_id).where(project_followers.c.user_id == user.id)
    team_ids, followed_ids = set(db.session.scalars(team)), set(db.session.scalars(followed))
    projects = db.session.scalars(
        select(Project)
        .where(or_(Project.lead_id == user.id, Project.id.in_(team_ids | followed_ids)))
        .order_by(Project.id)
    )
    return [
        {
            "id": project.id,
            "title": project.title,
            "lead": project.lead_id == user.id,
            "team": project.id in team_ids,
            "follows": project.id in followed_ids,
        }
        for project in projects
    ]


def _rows(model, condition, order):
    return db.session.scalars(select(model).where(condition).order_by(order))


def _row(obj, *names: str) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


def _file_name(version: DocumentVersion) -> str:
    """The version's file in the archive: its document and number first, so two uploads of
    "Protokoll.pdf" do not collide; only the last part of the name the person gave."""
    name = PurePosixPath(version.filename.replace("\\", "/")).name or "fil"
    return f"{FILES_FOLDER}/{version.document_id}-v{version.number}-{name}"


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")
