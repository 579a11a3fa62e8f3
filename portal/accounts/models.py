"""Organisations, users, their sessions and passkeys, invitations and the secret addresses of
personal feeds."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import BigInteger, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from portal.core.dates import UTCDateTime, utcnow
from portal.core.i18n import _l
from portal.extensions import Model

ORGANISATION_KINDS = {
    "county_library": _l("Länsbibliotek"),
    "municipal_library": _l("Kommunbibliotek"),
    "school": _l("Skola"),
    "preschool": _l("Förskola"),
    "archive_museum": _l("Arkiv eller museum"),
    "national_agency": _l("Nationell myndighet"),
    "funder": _l("Finansiär"),
    "other": _l("Annan"),
}

ROLES = {
    "member": _l("Kommunbibliotekarie"),
    "staff": _l("Länsbibliotekets personal"),
    "admin": _l("Administratör"),
}

LANGUAGES = {"sv": "Svenska", "en": "English"}


class Organisation(Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    municipality_name: Mapped[str | None] = mapped_column(String(100))
    municipality_code: Mapped[str | None] = mapped_column(String(4))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    users: Mapped[list[User]] = relationship(back_populates="organisation")

    @property
    def kind_label(self) -> str:
        return str(ORGANISATION_KINDS.get(self.kind, self.kind))

    def __repr__(self) -> str:
        return f"<Organisation {self.name!r}>"


class User(UserMixin, Model):
    __tablename__ = "users"
    # Signing in and changing a password change nothing any cached page shows.
    read_cache_ignored_columns = frozenset({"password_hash", "session_version", "last_login_at"})

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="member")
    language: Mapped[str] = mapped_column(String(2), default="sv")
    active: Mapped[bool] = mapped_column(default=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when an admin erased the account (portal/privacy/erasure.py): its personal data is
    # gone and its name reads "Borttagen användare <id>".
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation | None] = relationship(back_populates="users")

    @validates("email")
    def lowercase_email(self, key: str, value: str) -> str:
        """Emails are unique case-insensitively: they are stored in lower case."""
        return value.strip().lower()

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """The session version rides inside the id, so bumping it ends every session at once."""
        return f"{self.id}:{self.session_version}"

    @property
    def role_label(self) -> str:
        return str(ROLES.get(self.role, self.role))

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.email!r}>"


class UserSession(Model):
    """One login on one device. The cookie carries a random session id; only its hash is kept,
    so the table cannot be used to take over a session. A session is live while `ended_at` is
    empty (portal/accounts/sessions.py checks it on every request)."""

    __tablename__ = "user_sessions"
    read_cache_ignored = True

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    sid_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user_agent: Mapped[str | None] = mapped_column(String(200))
    ip_address: Mapped[str | None] = mapped_column(String(45))

    user: Mapped[User] = relationship()


class Passkey(Model):
    """A WebAuthn credential a person registered from the profile: it logs them in instead of
    the password, or serves as the second factor after it (portal/accounts/passkeys/). Only the
    public key is kept; the private key never leaves the person's authenticator."""

    __tablename__ = "passkeys"
    read_cache_ignored = True

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # base64url, as the browser names it; up to 1 023 bytes by the WebAuthn standard.
    credential_id: Mapped[str] = mapped_column(String(1400), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    # The authenticator's counter (an unsigned 32-bit number): a clone shows an old one.
    sign_count: Mapped[int] = mapped_column(BigInteger, default=0)
    # "internal,hybrid": the ways the browser may reach the authenticator, as it told us.
    transports: Mapped[str | None] = mapped_column(String(200))
    # The random WebAuthn user handle (base64url) the authenticator keeps with the passkey;
    # the same for every passkey of one person, and not their id or email.
    user_handle: Mapped[str] = mapped_column(String(100), index=True)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @property
    def transport_list(self) -> list[str]:
        return [name for name in (self.transports or "").split(",") if name]


class Invitation(Model):
    """An admin's invitation; the link carries a random token of which only a hash is kept."""

    __tablename__ = "invitations"
    read_cache_ignored = True

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    role: Mapped[str] = mapped_column(String(16), default="member")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation | None] = relationship()
    invited_by: Mapped[User | None] = relationship()


FEED_KINDS = ("news", "calendar")


class FeedToken(Model):
    """The secret in a person's feed address (the news Atom feed, the calendar's iCal feed);
    only its hash is kept. Renewing replaces it, so an address that leaked stops working."""

    __tablename__ = "feed_tokens"
    read_cache_ignored = True

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
