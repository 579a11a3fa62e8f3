"""The personal access token row: only a hash of the secret is kept."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.core.dates import UTCDateTime, utcnow
from portal.extensions import Model

SCOPES = ("read",)


class ApiToken(Model):
    """A person's token for the read API. The secret is shown once, when it is made; the row
    keeps its SHA-256 (a random 256-bit secret cannot be guessed from a fast hash, so a slow
    password hash would only slow down every API request) and its first characters, so that
    the person can tell which token is which."""

    __tablename__ = "api_tokens"
    # Using a token (last_used_at) changes nothing any cached page shows.
    read_cache_ignored = True

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # "lbp_Ab3x": the prefix and the first characters of the secret, shown in the list.
    hint: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str] = mapped_column(String(16), default="read")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def is_usable(self, now: datetime) -> bool:
        """Not revoked, not expired, and its owner may still log in."""
        return (
            self.revoked_at is None
            and self.expires_at > now
            and self.user.active
            and self.user.erased_at is None
        )
