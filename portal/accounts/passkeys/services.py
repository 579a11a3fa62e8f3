"""The rules of passkeys: the options for the browser, the verification of what it answers (by
py_webauthn), and the rows of a person's passkeys. The caller keeps the challenge
(ceremony.py) and commits."""

import json
import logging
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from webauthn import (
    base64url_to_bytes,
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from portal.accounts.models import Passkey, User
from portal.core import audit
from portal.core.dates import utcnow
from portal.core.errors import PermissionDenied, ValidationError
from portal.core.i18n import _l
from portal.extensions import db

log = logging.getLogger(__name__)

RP_NAME = "Länsbibliotekets portal"
TIMEOUT_MS = 120_000
MAX_PASSKEYS = 10
NAME_MAX_LENGTH = 100
REGISTRATION_FAILED = _l(
    "Passkeyn kunde inte registreras. Försök igen, eller välj en annan enhet eller "
    "lösenordshanterare."
)
CEREMONY_EXPIRED = _l("Det tog för lång tid, eller sidan var öppen i flera flikar. Försök igen.")
# Malformed JSON from a browser raises more than WebAuthnException (a missing key, a number
# where text was expected, bad base64): each is a refused ceremony, not a 500.
REFUSED = (WebAuthnException, ValueError, TypeError, KeyError, AttributeError)


@dataclass(frozen=True)
class Expected:
    """What the browser's answer must carry: the challenge this ceremony sent, and the site
    (relying party id and origin) it was made for."""

    challenge: bytes
    rp_id: str
    origin: str
    # A registration's: the user handle its options gave the authenticator.
    user_handle: str | None = None


@dataclass(frozen=True)
class Options:
    """The options as the JSON the browser is given, and the challenge inside them, which the
    caller keeps until the answer comes back."""

    json: str
    challenge: bytes
    user_handle: str | None = None


def passkeys_of(user: User) -> list[Passkey]:
    return list(
        db.session.scalars(select(Passkey).where(Passkey.user_id == user.id).order_by(Passkey.id))
    )


def has_passkey(user: User) -> bool:
    """For the second-factor step: whether to offer the person a passkey at all."""
    found = db.session.scalar(select(Passkey.id).where(Passkey.user_id == user.id).limit(1))
    return found is not None


def _user_handle(user: User) -> str:
    """The person's WebAuthn user handle: the one their passkeys already carry, else a new
    random one. Never their id or email, which the authenticator keeps in the clear."""
    existing = db.session.scalar(
        select(Passkey.user_handle).where(Passkey.user_id == user.id).limit(1)
    )
    return existing or bytes_to_base64url(secrets.token_bytes(32))


def _descriptor(passkey: Passkey) -> PublicKeyCredentialDescriptor:
    transports = []
    for name in passkey.transport_list:
        try:
            transports.append(AuthenticatorTransport(name))
        except ValueError:
            continue  # a transport newer than py_webauthn: the browser finds the key anyway
    return PublicKeyCredentialDescriptor(
        id=base64url_to_bytes(passkey.credential_id), transports=transports or None
    )


def registration_options(user: User, rp_id: str) -> Options:
    """Options for a new passkey kept on the authenticator (discoverable, so it can log in
    without an email address typed) that checks who holds it (a PIN, a fingerprint)."""
    options = generate_registration_options(
        rp_id=rp_id,
        rp_name=RP_NAME,
        user_name=user.email,
        user_display_name=user.name,
        user_id=base64url_to_bytes(_user_handle(user)),
        timeout=TIMEOUT_MS,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[_descriptor(passkey) for passkey in passkeys_of(user)],
    )
    return Options(options_to_json(options), options.challenge, bytes_to_base64url(options.user.id))


def register_passkey(user: User, name: str, credential: str, expected: Expected | None) -> Passkey:
    """Verify the browser's answer to `registration_options` and keep the passkey. `expected`
    is None when the ceremony's challenge is gone (used, expired, another tab's)."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_l("Ge passkeyn ett namn, till exempel ”Jobbdatorn”."), "name")
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(_l("Namnet får vara högst 100 tecken."), "name")
    if len(passkeys_of(user)) >= MAX_PASSKEYS:
        raise ValidationError(
            _l("Du har redan tio passkeys. Ta bort en du inte använder först."), "name"
        )
    if not credential:
        raise ValidationError(REGISTRATION_FAILED, "name")
    if expected is None or not expected.user_handle:
        raise ValidationError(CEREMONY_EXPIRED, "name")
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=expected.challenge,
            expected_rp_id=expected.rp_id,
            expected_origin=expected.origin,
            require_user_verification=True,
        )
    except REFUSED as error:
        log.info("Passkey registration by %s refused: %s", user.email, error)
        raise ValidationError(REGISTRATION_FAILED, "name") from error
    credential_id = bytes_to_base64url(verified.credential_id)
    if db.session.scalar(select(Passkey.id).where(Passkey.credential_id == credential_id)):
        raise ValidationError(_l("Den passkeyn är redan registrerad."), "name")
    passkey = Passkey(
        user=user,
        credential_id=credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=",".join(_transports(credential))[:200] or None,
        user_handle=expected.user_handle,
        name=name,
    )
    db.session.add(passkey)
    db.session.flush()
    audit.record(user, None, "create", "passkey", passkey.id, {"name": [None, name]})
    log.info("Passkey %r registered by %s", name, user.email)
    return passkey


def _transports(credential: str) -> list[str]:
    found = json.loads(credential).get("response", {}).get("transports")
    return [name for name in found if isinstance(name, str)] if isinstance(found, list) else []


def login_options(rp_id: str) -> Options:
    """Options for logging in with any passkey of this site: the browser lets the person pick
    one (no email typed, no list of accounts given away), and the authenticator must check
    who holds it, which makes the passkey both factors."""
    options = generate_authentication_options(
        rp_id=rp_id, timeout=TIMEOUT_MS, user_verification=UserVerificationRequirement.REQUIRED
    )
    return Options(options_to_json(options), options.challenge)


def user_for_passkey_login(credential: str, expected: Expected | None) -> User | None:
    """The active person whose passkey signed this challenge with their verification (PIN,
    fingerprint), or None. The caller logs them in (record_login, start_session)."""
    if expected is None:
        return None
    passkey = _passkey_named_in(credential)
    if passkey is None or not passkey.user.active:
        return None
    if not _verify(passkey, credential, expected, require_user_verification=True):
        return None
    log.info("Passkey %r used to log in by %s", passkey.name, passkey.user.email)
    return passkey.user


def second_factor_options(user: User, rp_id: str) -> Options:
    """Options for a passkey as the second factor after the password: only this person's
    passkeys are offered (the password already said who they are)."""
    options = generate_authentication_options(
        rp_id=rp_id,
        timeout=TIMEOUT_MS,
        allow_credentials=[_descriptor(passkey) for passkey in passkeys_of(user)],
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    return Options(options_to_json(options), options.challenge)


def verify_assertion(user: User, credential: str, expected: Expected | None) -> bool:
    """Whether `credential` is `user`'s own passkey signing the challenge of
    `second_factor_options`: the second factor after the password. Holding the authenticator
    is the factor, so the authenticator's own check of the person is not required."""
    passkey = _passkey_named_in(credential) if expected else None
    if expected is None or passkey is None or passkey.user_id != user.id:
        return False
    return _verify(passkey, credential, expected, require_user_verification=False)


def _passkey_named_in(credential: str) -> Passkey | None:
    """The passkey the browser's answer names, if it is one of ours and its user handle (when
    the authenticator sent one) is the one kept with it."""
    try:
        answer = json.loads(credential)
        credential_id = answer["rawId"] if isinstance(answer["rawId"], str) else None
        handle = answer.get("response", {}).get("userHandle")
    except REFUSED:
        return None
    if not credential_id:
        return None
    passkey = db.session.scalar(select(Passkey).where(Passkey.credential_id == credential_id))
    if passkey is None or (handle and handle != passkey.user_handle):
        return None
    return passkey


def _verify(
    passkey: Passkey, credential: str, expected: Expected, require_user_verification: bool
) -> bool:
    """Check the signature over the challenge, the site and the counter; on success remember
    the counter and when the passkey was used."""
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=expected.challenge,
            expected_rp_id=expected.rp_id,
            expected_origin=expected.origin,
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=require_user_verification,
        )
    except REFUSED as error:
        log.info("Passkey %s of %s refused: %s", passkey.id, passkey.user.email, error)
        return False
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = utcnow()
    return True


def remove_passkey(actor: User, passkey: Passkey) -> None:
    """A person removes one of their own passkeys; it no longer logs anyone in."""
    if passkey.user_id != actor.id:
        raise PermissionDenied(_l("Du kan bara ta bort dina egna passkeys."))
    audit.record(actor, None, "delete", "passkey", passkey.id, {"name": [passkey.name, None]})
    log.info("Passkey %r removed by %s", passkey.name, actor.email)
    db.session.delete(passkey)
