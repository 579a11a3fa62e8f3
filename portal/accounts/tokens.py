"""Tokens in links: invitations (random, hashed in the database) and password resets (signed).

A reset token is signed with a fingerprint of the current password hash, so it stops working
the moment it is used: single use without a table.
"""

import hashlib
import secrets

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

RESET_SALT = "password-reset"


def new_token() -> tuple[str, str]:
    """A random token and the hash that is stored."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def password_fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def make_reset_token(user_id: int, password_hash: str) -> str:
    return _serializer().dumps({"uid": user_id, "fp": password_fingerprint(password_hash)})


def read_reset_token(token: str, max_age_seconds: int) -> dict | None:
    try:
        return _serializer().loads(token, max_age=max_age_seconds)
    except (BadSignature, SignatureExpired):
        return None
