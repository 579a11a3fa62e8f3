"""Rules of the login with a municipal account (OpenID Connect): an admin's settings of an
organisation's IdP, and who an IdP's answer lets in.

Who gets in: the person already linked to the IdP's (issuer, sub); else, with an email the IdP
says it verified, the holder of a pending invitation to that organisation, an account of the
organisation with that address, or (when the address's domain is one the admin allowed) a new
member of the organisation. The roles are the portal's own: the IdP never sets one.
"""

import ipaddress
import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select

from portal.accounts import services as account_services
from portal.accounts.models import Invitation, Organisation, User
from portal.accounts.sso import client
from portal.accounts.sso.models import ExternalIdentity, IdentityProvider, split_domains
from portal.core import audit
from portal.core.dates import utcnow
from portal.core.errors import PermissionDenied, ValidationError
from portal.core.i18n import _l
from portal.extensions import db

log = logging.getLogger(__name__)

# A label of letters, digits and hyphens, at least two of them dot-separated: "timra.se".
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")
LOOPBACK_NAMES = {"localhost"}
AUDITED_FIELDS = ["issuer", "client_id", "allowed_domains", "enabled"]
# The IdP's "amr" value for a login with more than one factor (RFC 8176).
MFA_METHOD = "mfa"
# The ID token claims by which an IdP says it verified the address: OpenID Connect's own, and
# Microsoft Entra ID's optional claim for an address on a domain the tenant owns.
VERIFIED_EMAIL_CLAIMS = ("email_verified", "xms_edov")


class AccessRefused(Exception):
    """The IdP's person may not log in; `message` says why, in Swedish, on the login page."""

    def __init__(self, message, reason: str):
        super().__init__(reason)
        self.message = message
        self.reason = reason


@dataclass(frozen=True)
class SsoLogin:
    user: User
    multi_factor: bool


def provider_for(organisation: Organisation) -> IdentityProvider | None:
    return db.session.scalar(
        select(IdentityProvider).where(IdentityProvider.organisation_id == organisation.id)
    )


def enabled_provider(organisation_id: int | None) -> IdentityProvider | None:
    if organisation_id is None:
        return None
    return db.session.scalar(
        select(IdentityProvider).where(
            IdentityProvider.organisation_id == organisation_id, IdentityProvider.enabled
        )
    )


def organisations_with_login() -> list[tuple[int, str]]:
    """(id, name) of the organisations whose people can log in with their municipal account."""
    rows = db.session.execute(
        select(Organisation.id, Organisation.name)
        .join(IdentityProvider, IdentityProvider.organisation_id == Organisation.id)
        .where(IdentityProvider.enabled)
        .order_by(Organisation.name)
    )
    return [(row.id, row.name) for row in rows]


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_issuer(issuer: str) -> str:
    """An https address with a host (and no query or fragment, which an issuer never has);
    plain http only on this machine's loopback, and only where SSO_ALLOW_HTTP_LOOPBACK is on
    (development and the tests' provider)."""
    issuer = issuer.strip()
    try:
        parts = urlsplit(issuer)
    except ValueError:  # "https://[::1" and the like
        parts = urlsplit("")
    insecure_ok = current_app.config["SSO_ALLOW_HTTP_LOOPBACK"] and _is_loopback(
        parts.hostname or ""
    )
    if parts.scheme == "http" and not insecure_ok:
        raise ValidationError(_l("Adressen måste börja med https://."), "issuer")
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValidationError(
            _l(
                "Skriv utfärdarens adress, till exempel "
                "https://login.microsoftonline.com/KATALOG-ID/v2.0."
            ),
            "issuer",
        )
    return issuer


def check_domains(text: str) -> str:
    domains = split_domains(text)
    wrong = [domain for domain in domains if not DOMAIN.match(domain)]
    if wrong:
        raise ValidationError(
            _l(
                "%(domain)s är ingen domän. Skriv domäner som timra.se, åtskilda med "
                "mellanslag eller kommatecken.",
                domain=wrong[0],
            ),
            "allowed_domains",
        )
    return " ".join(domains)


def save_identity_provider(
    actor: User,
    organisation: Organisation,
    issuer: str,
    client_id: str,
    client_secret: str,
    allowed_domains: str,
    enabled: bool,
) -> IdentityProvider:
    """Create or change the organisation's IdP; a blank secret keeps the one saved. Audited,
    without the secret (the entry says only that it changed)."""
    if actor.role != "admin":
        raise PermissionDenied(_l("Bara administratörer kan ställa in inloggning."))
    row = provider_for(organisation)
    issuer = check_issuer(issuer)
    domains = check_domains(allowed_domains)
    client_secret = client_secret.strip()
    if not client_secret and row is None:
        raise ValidationError(_l("Fyll i klienthemligheten."), "client_secret")
    before = {} if row is None else audit.snapshot(row, AUDITED_FIELDS)
    secret_changed = bool(client_secret) and (row is None or client_secret != row.client_secret)
    if row is None:
        row = IdentityProvider(organisation=organisation)
        db.session.add(row)
    row.issuer, row.client_id = issuer, client_id.strip()
    row.allowed_domains, row.enabled = domains, enabled
    if client_secret:
        row.client_secret = client_secret
    db.session.flush()
    changes = audit.changes_between(before, audit.snapshot(row, AUDITED_FIELDS))
    if secret_changed:
        changes["client_secret"] = [None, "******"]
    audit.record(
        actor, None, "create" if not before else "update", "identity_provider", row.id, changes
    )
    return row


def _email_claims(claims: dict) -> tuple[str, str]:
    """The verified address and its domain; an address the IdP did not verify links nothing."""
    email = str(claims.get("email") or "").strip().lower()
    # Some IdPs send the flag as the string "true". Microsoft Entra ID sends no email_verified;
    # its optional claim xms_edov ("email domain owner verified") says the same.
    verified = any(claims.get(name) in (True, "true", "1", 1) for name in VERIFIED_EMAIL_CLAIMS)
    if not email or "@" not in email or not verified:
        raise AccessRefused(
            _l(
                "Kommunkontot har ingen bekräftad e-postadress. Be kommunens IT-avdelning om "
                "hjälp, eller logga in med e-post och lösenord."
            ),
            "no verified email",
        )
    return email, email.rpartition("@")[2]


def _pending_invitation(email: str) -> Invitation | None:
    return db.session.scalar(
        select(Invitation)
        .where(
            Invitation.email == email,
            Invitation.accepted_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
        .order_by(Invitation.created_at.desc())
        .limit(1)
    )


def _not_allowed(provider: IdentityProvider, domain: str) -> AccessRefused:
    return AccessRefused(
        _l(
            "Adresser på %(domain)s får inte logga in med kommunkonto hos %(organisation)s. "
            "Be en administratör om en inbjudan.",
            domain=domain,
            organisation=provider.organisation.name,
        ),
        f"domain {domain} not allowed",
    )


def _account_for(provider: IdentityProvider, claims: dict) -> User:
    """The account the IdP's person gets: see the module's docstring. A new account is made
    here (from an invitation, or as a member for an allowed domain)."""
    email, domain = _email_claims(claims)
    allowed = domain in provider.domains
    existing = account_services.user_by_email(email)
    if existing is not None:
        if existing.organisation_id != provider.organisation_id or not allowed:
            raise AccessRefused(
                _l(
                    "Det finns redan ett konto med %(email)s. Logga in med e-post och lösenord.",
                    email=email,
                ),
                "existing account not linkable",
            )
        return existing
    invitation = _pending_invitation(email)
    if invitation is not None and invitation.organisation_id == provider.organisation_id:
        invitation.accepted_at = utcnow()
        log.info("Invitation for %s accepted through the IdP", email)
        return _new_account(email, invitation.name, provider.organisation_id, invitation.role)
    if not allowed:
        raise _not_allowed(provider, domain)
    name = str(claims.get("name") or "").strip() or email.partition("@")[0]
    return _new_account(email, name, provider.organisation_id, "member")


def _new_account(email: str, name: str, organisation_id: int, role: str) -> User:
    """An account without a password ("Glömt lösenordet?" gives it one, should it need it)."""
    user = User(
        email=email,
        name=name[:200],
        organisation_id=organisation_id,
        role=role,
        password_hash="",
    )
    db.session.add(user)
    db.session.flush()
    log.info("Account %s created at its first login with its municipal account", email)
    return user


def client_settings(provider: IdentityProvider, redirect_uri: str) -> client.ClientSettings:
    return client.ClientSettings(
        provider.issuer, provider.client_id, provider.client_secret, redirect_uri
    )


def start_login(provider: IdentityProvider, redirect_uri: str) -> tuple[str, client.Expected]:
    """The IdP's address to send the person to, and what its callback must answer. Raises
    client.LoginRefused when the IdP cannot be reached or names another issuer."""
    return client.authorization(client_settings(provider, redirect_uri))


def finish_login(
    provider: IdentityProvider, expected: client.Expected, args: dict, redirect_uri: str
) -> SsoLogin:
    """The IdP's callback (its query `args`) checked against `expected`, the code exchanged,
    the ID token checked, and the person it names let in or not. Raises client.LoginRefused
    (nothing the portal can trust) or AccessRefused (a person it may not let in)."""
    settings = client_settings(provider, redirect_uri)
    code = client.check_callback(expected, settings, args)
    return log_in_with_claims(provider, client.id_token_claims(settings, expected, code))


def log_in_with_claims(provider: IdentityProvider, claims: dict) -> SsoLogin:
    """The person the ID token names, linked by (issuer, sub) from now on, with the login
    recorded on the link. Raises AccessRefused."""
    subject = str(claims.get("sub") or "")
    identity = db.session.scalar(
        select(ExternalIdentity).where(
            ExternalIdentity.issuer == provider.issuer, ExternalIdentity.subject == subject
        )
    )
    if identity is None:
        identity = ExternalIdentity(
            user=_account_for(provider, claims), issuer=provider.issuer, subject=subject
        )
        db.session.add(identity)
    user = identity.user
    if not user.active:
        raise AccessRefused(_l("Kontot är avaktiverat."), "account inactive")
    identity.last_login_at = utcnow()
    amr = claims.get("amr")
    multi_factor = isinstance(amr, list) and MFA_METHOD in amr
    return SsoLogin(user, multi_factor)
