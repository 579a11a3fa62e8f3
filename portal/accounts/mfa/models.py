"""A person's second factors: an authenticator app (TOTP) and ten single-use recovery codes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.core.dates import UTCDateTime, utcnow
from portal.extensions import Model


class TotpFactor(Model):
    """An authenticator app's shared secret. It counts as a second factor from `confirmed_at`
    on: until then it was only shown, waiting for the first code. `last_used_step` is the
    30-second step of the last code accepted; only a later step is accepted after it, so a
    code seen over someone's shoulder cannot be used again."""

    __tablename__ = "totp_factors"
    read_cache_ignored = True

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_step: Mapped[int | None] = mapped_column(BigInteger)

    user: Mapped[User] = relationship()


class RecoveryCode(Model):
    """One of a person's ten recovery codes, hashed with argon2 like a password; used once."""

    __tablename__ = "recovery_codes"
    read_cache_ignored = True

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
