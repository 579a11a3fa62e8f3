"""The portal as an OpenID Connect client of an organisation's IdP, with Authlib: the
authorization code flow with PKCE (S256), state and nonce, and the ID token checked against
the IdP's own keys.

A client is made for each login from the organisation's row, since IdPs are data an admin
sets, not configuration. The IdP's discovery document and its keys are kept for a few minutes
(SSO_METADATA_CACHE_SECONDS) per issuer; the keys are fetched again at once when a token names
a key the portal has not seen (the IdP rotated its keys).
"""

import logging
import secrets
import threading
import time
from dataclasses import dataclass

import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from flask import current_app
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

log = logging.getLogger(__name__)

SCOPE = "openid email profile"
# Seconds an ID token's exp and iat may be off: the clocks of the IdP and the portal.
LEEWAY_SECONDS = 60
HTTP_TIMEOUT_SECONDS = 5

_cache: dict[str, tuple[float, dict, dict]] = {}
_cache_lock = threading.Lock()


class LoginRefused(Exception):
    """The IdP's answer cannot log anyone in. `reason` is for the log, in English; the person
    sees a Swedish message chosen by the caller."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ClientSettings:
    issuer: str
    client_id: str
    client_secret: str
    redirect_uri: str


@dataclass(frozen=True)
class Expected:
    """What the callback must answer: the request's state, nonce and PKCE verifier."""

    state: str
    nonce: str
    code_verifier: str


def _fetch_json(url: str) -> dict:
    try:
        response = requests.get(url, timeout=HTTP_TIMEOUT_SECONDS)
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError) as error:
        raise LoginRefused(f"cannot read {url}: {error}") from error


def provider_metadata(issuer: str, refresh_keys: bool = False) -> tuple[dict, dict]:
    """The IdP's discovery document and its key set, from the cache while fresh. The document
    must name the issuer it was asked for (OpenID Connect Discovery 1.0, section 4.3)."""
    now = time.monotonic()
    with _cache_lock:
        cached = _cache.get(issuer)
    if cached and cached[0] > now and not refresh_keys:
        return cached[1], cached[2]
    metadata = cached[1] if cached and cached[0] > now else None
    if metadata is None:
        metadata = _fetch_json(f"{issuer.rstrip('/')}/.well-known/openid-configuration")
        if metadata.get("issuer") != issuer:
            raise LoginRefused(f"discovery names issuer {metadata.get('issuer')!r}, not {issuer!r}")
    jwks = _fetch_json(metadata["jwks_uri"])
    expires = now + current_app.config["SSO_METADATA_CACHE_SECONDS"]
    with _cache_lock:
        _cache[issuer] = (expires, metadata, jwks)
    return metadata, jwks


def forget_metadata() -> None:
    """Empty the cache (tests that restart an IdP)."""
    with _cache_lock:
        _cache.clear()


def _session(settings: ClientSettings) -> OAuth2Session:
    return OAuth2Session(
        settings.client_id,
        settings.client_secret,
        scope=SCOPE,
        redirect_uri=settings.redirect_uri,
        code_challenge_method="S256",
    )


def authorization(settings: ClientSettings) -> tuple[str, Expected]:
    """Where to send the person (the IdP's authorization endpoint with a fresh state, nonce and
    PKCE challenge), and what the callback must answer."""
    metadata, _ = provider_metadata(settings.issuer)
    expected = Expected(generate_token(32), generate_token(32), generate_token(64))
    with _session(settings) as client:
        url, _ = client.create_authorization_url(
            metadata["authorization_endpoint"],
            state=expected.state,
            nonce=expected.nonce,
            code_verifier=expected.code_verifier,
        )
    return url, expected


def check_callback(expected: Expected, settings: ClientSettings, args: dict) -> str:
    """The authorization code of a callback that answers the request `expected`: the same
    state, the issuer the IdP says it is (RFC 9207, when it says), and no error."""
    if not secrets.compare_digest(args.get("state", ""), expected.state):
        raise LoginRefused("state does not match")
    if "iss" in args and args["iss"] != settings.issuer:
        raise LoginRefused(f"callback from issuer {args['iss']!r}")
    if "error" in args:
        raise LoginRefused(f"IdP answered {args['error']}: {args.get('error_description', '')}")
    code = args.get("code")
    if not code:
        raise LoginRefused("no code in the callback")
    return code


def id_token_claims(settings: ClientSettings, expected: Expected, code: str) -> dict:
    """Exchange the code (with the PKCE verifier) and return the ID token's claims, once its
    signature (the IdP's keys), issuer, audience (and azp), times and nonce are right."""
    metadata, _ = provider_metadata(settings.issuer)
    with _session(settings) as client:
        try:
            token = client.fetch_token(
                metadata["token_endpoint"],
                grant_type="authorization_code",
                code=code,
                code_verifier=expected.code_verifier,
                timeout=HTTP_TIMEOUT_SECONDS,
            )
        except (OAuthError, requests.RequestException, ValueError) as error:
            raise LoginRefused(f"token request failed: {error}") from error
    if "id_token" not in token:
        raise LoginRefused("no ID token in the token response")
    decoded = _verified_token(settings.issuer, token["id_token"], metadata)
    claims = CodeIDToken(
        decoded.claims,
        decoded.header,
        {
            "iss": {"essential": True, "value": settings.issuer},
            "aud": {"essential": True, "value": settings.client_id},
        },
        {
            "nonce": expected.nonce,
            "client_id": settings.client_id,
            "access_token": token.get("access_token"),
        },
    )
    try:
        claims.validate(leeway=LEEWAY_SECONDS)
    except JoseError as error:
        raise LoginRefused(f"ID token refused: {error}") from error
    return dict(claims)


def _verified_token(issuer: str, id_token: str, metadata: dict):
    """The token, if one of the IdP's keys signed it. A key id the portal has not seen fetches
    the keys once more (the IdP rotated them); one still unknown is refused."""
    registry = JWSRegistry(algorithms=metadata.get("id_token_signing_alg_values_supported"))
    _, jwks = provider_metadata(issuer)
    try:
        return _decoded(id_token, jwks, registry)
    except InvalidKeyIdError:
        _, jwks = provider_metadata(issuer, refresh_keys=True)
    try:
        return _decoded(id_token, jwks, registry)
    except InvalidKeyIdError as error:
        raise LoginRefused(f"ID token signed with an unknown key: {error}") from error


def _decoded(id_token: str, jwks: dict, registry: JWSRegistry):
    """The token with its signature checked; raises InvalidKeyIdError for a key not in `jwks`."""
    try:
        return jwt.decode(id_token, KeySet.import_key_set(jwks), registry=registry)
    except InvalidKeyIdError:
        raise
    except (JoseError, ValueError) as error:
        raise LoginRefused(f"ID token signature refused: {error}") from error
