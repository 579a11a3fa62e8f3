"""The rules of personal access tokens: making one (the secret is returned once), listing and
revoking a person's tokens, and finding the person behind a secret sent to the API. The caller
commits."""

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.accounts.api_tokens.models import ApiToken
from portal.accounts.models import User
from portal.core import audit
from portal.core.dates import STOCKHOLM, utcnow
from portal.core.errors import PermissionDenied, ValidationError
from portal.core.i18n import _l
from portal.extensions import db

log = logging.getLogger(__name__)

# Recognisable in a log or a leaked file (secret scanners can look for it).
PREFIX = "lbp_"
SECRET_BYTES = 32
HINT_LENGTH = len(PREFIX) + 4
NAME_MAX_LENGTH = 100
MAX_DAYS = 365
MAX_LIVE_TOKENS = 20
# last_used_at is written at most this often per token, not on every API request.
LAST_USE_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def latest_expiry(today: date) -> date:
    return today + timedelta(days=MAX_DAYS)


def swedish_today() -> date:
    return utcnow().astimezone(STOCKHOLM).date()


def _end_of(day: date) -> datetime:
    """A token chosen to last until a day works all that day, Swedish time (and its list
    shows "2027-06-30 23:59", not a midnight that reads as the next day)."""
    return datetime.combine(day, time(23, 59), STOCKHOLM)


def tokens_of(user: User) -> list[ApiToken]:
    """The person's tokens, live ones first, newest first; revoked ones stay listed as such."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.id.desc())
        )
    )


def create_token(user: User, name: str, expires_on: date | None) -> NewToken:
    """A new read token for `user`, valid through `expires_on` (at most a year ahead)."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_l("Ge nyckeln ett namn."), "name")
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(_l("Namnet får vara högst 100 tecken."), "name")
    today = swedish_today()
    if expires_on is None:
        raise ValidationError(_l("Välj hur länge nyckeln ska gälla."), "expires_on")
    if expires_on <= today:
        raise ValidationError(_l("Välj ett datum efter i dag."), "expires_on")
    if expires_on > latest_expiry(today):
        raise ValidationError(_l("En nyckel kan gälla i högst ett år."), "expires_on")
    if len([token for token in tokens_of(user) if token.is_usable(utcnow())]) >= MAX_LIVE_TOKENS:
        raise ValidationError(
            _l("Du har redan 20 giltiga nycklar. Återkalla en innan du skapar en ny."), "name"
        )
    secret = PREFIX + secrets.token_urlsafe(SECRET_BYTES)
    token = ApiToken(
        user=user,
        name=name,
        token_hash=hash_secret(secret),
        hint=secret[:HINT_LENGTH],
        scope="read",
        expires_at=_end_of(expires_on),
    )
    db.session.add(token)
    db.session.flush()
    audit.record(user, None, "create", "api_token", token.id, {"name": [None, name]})
    log.info("API token %r made by %s", name, user.email)
    return NewToken(token, secret)


def revoke_token(actor: User, token: ApiToken) -> None:
    """The person's own token stops working at once; the row stays, listed as revoked."""
    if token.user_id != actor.id:
        raise PermissionDenied(_l("Du kan bara återkalla dina egna nycklar."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(actor, None, "delete", "api_token", token.id, {"name": [token.name, None]})
        log.info("API token %r revoked by %s", token.name, actor.email)


def user_for_secret(secret: str) -> User | None:
    """The owner of a usable token with this secret, or None (unknown, expired, revoked, or
    its owner deactivated or erased). Marks the token used, once a minute at most; the caller
    commits."""
    if not secret.startswith(PREFIX):
        return None
    token = db.session.scalar(
        select(ApiToken)
        .where(ApiToken.token_hash == hash_secret(secret))
        .options(joinedload(ApiToken.user))
    )
    now = utcnow()
    if token is None or not token.is_usable(now):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_PRECISION:
        token.last_used_at = now
    return token.user
