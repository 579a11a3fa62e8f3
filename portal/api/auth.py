"""Who is asking: the bearer token, checked before every API view, and the rate limit per
token. The API never looks at the session cookie, so a page cannot be read through it by a
script on another site, and it takes no form posts: there is no CSRF to check."""

import math
import time

from flask import current_app, g, request
from flask_limiter import RequestLimit

from portal.accounts.api_tokens.services import hash_secret, user_for_secret
from portal.accounts.models import User
from portal.accounts.throttle import client_address
from portal.api import bp
from portal.api.problems import problem, unauthorized
from portal.extensions import csrf, db, limiter

# Read without a token: what the API offers is no secret.
PUBLIC_ENDPOINTS = {"api.openapi_document"}


def bearer_secret() -> str | None:
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


@bp.before_request
def authenticate():
    """401 without a usable token; else the token's owner is the API's reader. The token's
    last use is the one write a GET makes, at most once a minute."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    secret = bearer_secret()
    if secret is None:
        return unauthorized()
    user = user_for_secret(secret)
    if user is None:
        return unauthorized("invalid_token")
    if db.session.dirty:
        db.session.commit()
    g.api_user = user
    return None


def reader() -> User:
    """The owner of the token the request was sent with."""
    return g.api_user


def rate_limit_key() -> str:
    """The token's hash; without a token, the address (so a flood of 401s is limited too)."""
    secret = bearer_secret()
    if secret is None:
        return f"api:address:{client_address()}"
    return f"api:token:{hash_secret(secret)}"


def too_many_requests(request_limit: RequestLimit):
    seconds = max(1, math.ceil(request_limit.reset_at - time.time()))
    return problem(429, headers={"Retry-After": str(seconds)})


csrf.exempt(bp)
limiter.limit(
    lambda: current_app.config["API_RATE_LIMIT"],
    key_func=rate_limit_key,
    on_breach=too_many_requests,
)(bp)
