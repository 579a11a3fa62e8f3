"""An admin's erasure of an account (GDPR art. 17), confirmed on its own page.

The account row stays, anonymised ("Borttagen användare 17"), so that what the person wrote as
part of the authority's work (news, comments, progress updates, report versions, documents,
calendar events, the audit log's "who") stays a public record under that name. Everything
that exists only for the person is deleted, and where the portal copied their name, address or
phone number into other rows (emails to others, digests, audit values, report snapshots) the
copy is replaced by the anonymised name. The erasure is audited without repeating the erased
data.

Every column that points at users.id is named below, either in PERSONAL_ROWS (deleted) or in
KEPT_REFERENCES (kept, now pointing at the anonymised account); tests/privacy/test_erasure.py
fails when a new one is in neither. A new table of one person's rows (second factors:
TOTP secrets, recovery codes, passkeys) goes into PERSONAL_ROWS.
"""

import json
import logging
from dataclasses import dataclass

from markupsafe import escape
from sqlalchemy import Column, Text, cast, delete, func, or_, select, update
from sqlalchemy.orm.attributes import InstrumentedAttribute

from portal.accessibility.models import AccessibilityStatement, BarrierReport
from portal.accounts.api_tokens.models import ApiToken
from portal.accounts.mfa.models import RecoveryCode, TotpFactor
from portal.accounts.models import (
    FeedToken,
    Invitation,
    Organisation,
    Passkey,
    User,
    UserSession,
)
from portal.accounts.sso.models import ExternalIdentity
from portal.calendar.models import DeadlineReminder, Event
from portal.core import audit
from portal.core.audit import AuditEntry
from portal.core.dates import utcnow
from portal.core.errors import PermissionDenied, ValidationError
from portal.core.i18n import _l
from portal.documents.models import Document, DocumentVersion
from portal.extensions import db
from portal.news.models import NewsComment, NewsItem
from portal.notifications.models import DigestEntry, NotificationPreference, OutboundEmail
from portal.projects.models import (
    Milestone,
    ProgressUpdate,
    Project,
    project_followers,
    project_team,
)
from portal.reports.models import Report, ReportDelivery, ReportVersion

log = logging.getLogger(__name__)

# The anonymised account: stored data, the same in every language of the interface.
ERASED_NAME = "Borttagen användare {id}"
ERASED_ADDRESS = "borttagen-{id}@anonym.invalid"  # .invalid never resolves (RFC 2606)
# A name or phone number shorter than this is not searched for in other rows' text: "Li"
# would be replaced inside every word that holds it.
SHORTEST_COPY = 3

# One person's rows, deleted with the account's personal data: by the column naming them.
# Add a new per-user table here (second factors: TOTP secrets, recovery codes, passkeys).
PERSONAL_ROWS: tuple[Column, ...] = (
    UserSession.__table__.c.user_id,
    FeedToken.__table__.c.user_id,
    NotificationPreference.__table__.c.user_id,
    DigestEntry.__table__.c.user_id,
    project_followers.c.user_id,
    Passkey.__table__.c.user_id,
    TotpFactor.__table__.c.user_id,
    RecoveryCode.__table__.c.user_id,
    ApiToken.__table__.c.user_id,
    # The links to municipal accounts: erased, the IdP's person no longer logs in here.
    ExternalIdentity.__table__.c.user_id,
)

# References kept: the work done for the authority, shown under the anonymised name.
KEPT_REFERENCES: tuple[Column, ...] = (
    NewsItem.__table__.c.author_id,
    NewsComment.__table__.c.author_id,
    ProgressUpdate.__table__.c.author_id,
    Event.__table__.c.author_id,
    Document.__table__.c.created_by_id,
    Document.__table__.c.deleted_by_id,
    DocumentVersion.__table__.c.uploaded_by_id,
    ReportVersion.__table__.c.author_id,
    Report.__table__.c.created_by_id,
    Report.__table__.c.review_requested_by_id,
    Report.__table__.c.reviewer_id,
    Report.__table__.c.approved_by_id,
    Report.__table__.c.sent_by_id,
    Project.__table__.c.lead_id,
    project_team.c.user_id,
    Milestone.__table__.c.responsible_id,
    AuditEntry.__table__.c.actor_id,
    Invitation.__table__.c.invited_by_id,
    # A reminder sent: its row is what keeps the next run from sending it again.
    DeadlineReminder.__table__.c.recipient_id,
    # The accessibility statement's last editor, and who handled a reported barrier.
    AccessibilityStatement.__table__.c.updated_by_id,
    BarrierReport.__table__.c.handled_by_id,
)

# Rows addressed to the person by email address (the emails to them, their own invitation):
# deleted. Their attachments go with them (ON DELETE CASCADE).
ADDRESSED_ROWS: tuple[InstrumentedAttribute, ...] = (OutboundEmail.recipient, Invitation.email)

# Where another row names the person as its contact address: emptied.
# A reported barrier stays (the work it asked for), without the reporter's address.
ADDRESS_COLUMNS: tuple[InstrumentedAttribute, ...] = (
    Organisation.contact_email,
    BarrierReport.contact_email,
)

# Text the portal copied the name, address or phone into: the copy is replaced.
COPIED_TEXT: tuple[InstrumentedAttribute, ...] = (
    OutboundEmail.subject,
    OutboundEmail.text_body,
    OutboundEmail.html_body,
    OutboundEmail.reply_to,
    DigestEntry.title,
    DigestEntry.summary,
    ReportDelivery.recipient_name,
    ReportDelivery.recipient_email,
    BarrierReport.contact_name,
    BarrierReport.description,
)

# JSON the portal copied them into (an audit entry's old and new values, a report version's
# drafted text and data snapshot): every string in it is rewritten.
COPIED_JSON: tuple[InstrumentedAttribute, ...] = (AuditEntry.changes, ReportVersion.sections)


@dataclass(frozen=True)
class Replacements:
    """What to look for in other rows and what it becomes."""

    pairs: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, user: User) -> "Replacements":
        label = ERASED_NAME.format(id=user.id)
        pairs = [(user.email, ERASED_ADDRESS.format(id=user.id))]
        for value in (user.name, user.phone):
            value = (value or "").strip()
            if len(value) >= SHORTEST_COPY:
                pairs.append((value, label))
                if str(escape(value)) != value:  # as HTML bodies hold it
                    pairs.append((str(escape(value)), label))
        return cls(tuple(pairs))

    def apply(self, text: str) -> str:
        for old, new in self.pairs:
            text = text.replace(old, new)
        return text

    def found_in(self, text: str) -> bool:
        return any(old in text for old, _ in self.pairs)


def is_erased(user: User) -> bool:
    return user.erased_at is not None


def erase_user(actor: User, user: User) -> None:
    """Erase `user`'s personal data and anonymise the account. The caller commits."""
    if actor.role != "admin":
        raise PermissionDenied(_l("Bara administratörer kan radera konton."))
    if user.id == actor.id:
        raise ValidationError(_l("Du kan inte radera ditt eget konto."), "confirm")
    if is_erased(user):
        raise ValidationError(_l("Kontot är redan raderat."), "confirm")
    replacements = Replacements.of(user)
    email = user.email
    for column in PERSONAL_ROWS:
        db.session.execute(delete(column.table).where(column == user.id))
    for attribute in ADDRESSED_ROWS:
        db.session.execute(
            delete(attribute.class_).where(func.lower(attribute) == email),
            execution_options={"synchronize_session": False},
        )
    for attribute in ADDRESS_COLUMNS:
        db.session.execute(
            update(attribute.class_)
            .where(func.lower(attribute) == email)
            .values({attribute: None})
            .execution_options(synchronize_session=False)
        )
    for attribute in COPIED_TEXT:
        _replace_in_text(attribute, replacements)
    for attribute in COPIED_JSON:
        _replace_in_json(attribute, replacements)
    _anonymise(user)
    audit.record(actor, None, "erase", "user", user.id, {})
    log.info("Account %s erased by account %s", user.id, actor.id)


def _anonymise(user: User) -> None:
    user.email = ERASED_ADDRESS.format(id=user.id)
    user.name = ERASED_NAME.format(id=user.id)
    user.title = None
    user.phone = None
    user.language = "sv"
    user.role = "member"
    user.active = False
    user.password_hash = ""  # no password matches an empty hash
    user.session_version += 1
    user.last_login_at = None
    user.erased_at = utcnow()


def _replace_in_text(attribute: InstrumentedAttribute, replacements: Replacements) -> None:
    for old, new in replacements.pairs:
        db.session.execute(
            update(attribute.class_)
            .where(attribute.contains(old, autoescape=True))
            .values({attribute: func.replace(attribute, old, new)})
            .execution_options(synchronize_session=False)
        )


def _replace_in_json(attribute: InstrumentedAttribute, replacements: Replacements) -> None:
    """Rewrite the JSON values holding a copy. The stored text may hold a non-ASCII name as
    \\u escapes, so both spellings are looked for."""
    spellings = {
        spelling for old, _ in replacements.pairs for spelling in (old, json.dumps(old)[1:-1])
    }
    as_text = cast(attribute, Text)
    condition = or_(*(as_text.contains(spelling, autoescape=True) for spelling in spellings))
    model = attribute.class_
    for row in db.session.scalars(select(model).where(condition)):
        value = getattr(row, attribute.key)
        rewritten = _rewrite(value, replacements)
        if rewritten != value:
            setattr(row, attribute.key, rewritten)


def _rewrite(value, replacements: Replacements):
    """A copy of a JSON value with every string (keys too) rewritten."""
    if isinstance(value, str):
        return replacements.apply(value) if replacements.found_in(value) else value
    if isinstance(value, list):
        return [_rewrite(item, replacements) for item in value]
    if isinstance(value, dict):
        return {
            _rewrite(key, replacements): _rewrite(item, replacements) for key, item in value.items()
        }
    return value
