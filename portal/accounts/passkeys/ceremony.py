"""A WebAuthn ceremony's state between its two requests, and the site it is made for.

The options request keeps its challenge in the person's (signed) session with its purpose and
an expiry; the answer takes it out again, so a challenge is used at most once per session and
not after CHALLENGE_SECONDS. The relying party id and the origin come from WEBAUTHN_RP_ID and
WEBAUTHN_ORIGIN, or else from the address the request came to (SERVER_NAME when set).
"""

import time
from urllib.parse import urlsplit

from flask import Response, current_app, request, session
from webauthn import base64url_to_bytes
from webauthn.helpers import bytes_to_base64url

from portal.accounts.passkeys.services import Expected, Options

SESSION_KEY = "webauthn"
CHALLENGE_SECONDS = 300
REGISTER = "register"
LOGIN = "login"
SECOND_FACTOR = "second_factor"


def relying_party_id() -> str:
    """The domain passkeys are bound to: WEBAUTHN_RP_ID, else the host this request came to
    (without its port), which is SERVER_NAME's when that is set."""
    configured = current_app.config.get("WEBAUTHN_RP_ID")
    if configured:
        return configured
    return urlsplit("//" + request.host).hostname or ""


def expected_origin() -> str:
    """The address the browser must say it was on: WEBAUTHN_ORIGIN, else this request's
    scheme and host (with the port), as the proxy told them (PROXY_FIX_HOPS)."""
    configured = current_app.config.get("WEBAUTHN_ORIGIN")
    if configured:
        return configured.rstrip("/")
    return f"{request.scheme}://{request.host}"


def keep_challenge(purpose: str, options: Options, user_id: int | None = None) -> None:
    session[SESSION_KEY] = {
        "purpose": purpose,
        "challenge": bytes_to_base64url(options.challenge),
        "user_handle": options.user_handle,
        "user_id": user_id,
        "expires": int(time.time()) + CHALLENGE_SECONDS,
    }


def take_challenge(purpose: str, user_id: int | None = None) -> Expected | None:
    """What the answer to this ceremony must carry, once: the kept challenge is removed
    whatever happens next. None when there is none for this purpose and person, or it has
    expired."""
    kept = session.pop(SESSION_KEY, None)
    if not isinstance(kept, dict) or kept.get("purpose") != purpose:
        return None
    if kept.get("user_id") != user_id or int(kept.get("expires", 0)) < time.time():
        return None
    return Expected(
        base64url_to_bytes(kept["challenge"]),
        relying_party_id(),
        expected_origin(),
        kept.get("user_handle"),
    )


def json_response(options: Options) -> Response:
    """The options as JSON; never kept by a cache, since each carries a new challenge."""
    response = current_app.response_class(options.json, mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response
