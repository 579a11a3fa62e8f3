"""An organisation's identity provider (its municipality's OpenID Connect login) and the
identities people logged in with there, each linked to one portal account."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import Organisation, User
from portal.core.dates import UTCDateTime, utcnow
from portal.extensions import Model

# Commas, semicolons or white space between the domains an admin types.
DOMAIN_SEPARATORS = re.compile(r"[\s,;]+")


class IdentityProvider(Model):
    """One per organisation, set by an admin. The client secret is kept in the database as
    typed (the IdP needs it back as it is); only admins see the page that sets it, and the page
    never shows it again."""

    __tablename__ = "identity_providers"
    read_cache_ignored = True

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), unique=True
    )
    issuer: Mapped[str] = mapped_column(String(500))
    client_id: Mapped[str] = mapped_column(String(255))
    client_secret: Mapped[str] = mapped_column(String(500))
    # Lower case, one space between: "timra.se skola.timra.se".
    allowed_domains: Mapped[str] = mapped_column(Text, default="")
    enabled: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship()

    @property
    def domains(self) -> list[str]:
        return split_domains(self.allowed_domains)


def split_domains(text: str | None) -> list[str]:
    """The domains of a typed list, lower case, without a leading "@", each once."""
    seen: list[str] = []
    for part in DOMAIN_SEPARATORS.split((text or "").strip().lower()):
        domain = part.lstrip("@").rstrip(".")
        if domain and domain not in seen:
            seen.append(domain)
    return seen


class ExternalIdentity(Model):
    """A person at an IdP, named by the IdP's issuer and its `sub` (which, unlike an email
    address, the IdP never gives to someone else), linked to one portal account."""

    __tablename__ = "external_identities"
    __table_args__ = (UniqueConstraint("issuer", "subject"),)
    read_cache_ignored = True

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    issuer: Mapped[str] = mapped_column(String(500))
    subject: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
