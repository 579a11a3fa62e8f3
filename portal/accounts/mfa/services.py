"""Rules of the second factor: enrolling an authenticator app, checking its codes and the
recovery codes, who must have one, and an admin's removal of a lost one.

A "second factor" is anything `has_second_factor` counts; the login's second step
(`portal/accounts/mfa/routes.py`) asks for one of them before the session is logged in. Today
that is an authenticator app (TOTP) and its recovery codes; a passkey can become one more way
of passing the same step.
"""

import logging
import secrets
import time

import pyotp
import segno
from flask import current_app
from sqlalchemy import delete, exists, or_, select, update

from portal.accounts import services as account_services
from portal.accounts.mfa.models import RecoveryCode, TotpFactor
from portal.accounts.models import Passkey, User
from portal.accounts.passkeys.services import has_passkey
from portal.accounts.passwords import hash_password, verify_password
from portal.core import audit
from portal.core.dates import utcnow
from portal.core.errors import PermissionDenied, ValidationError
from portal.core.i18n import _l
from portal.extensions import db
from portal.notifications.outbox import queue_email

log = logging.getLogger(__name__)

# The name an authenticator app shows beside the code: the county library's, which is data.
FALLBACK_ISSUER = "Länsbibliotekets portal"
STEP_SECONDS = 30
# A code of the step before or after the server's is accepted too: a phone's clock a little
# off, or a code typed just as it changed.
ALLOWED_DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
# Twelve characters of an alphabet without look-alikes (0/o, 1/l/i): about 59 bits each.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_GROUPS, RECOVERY_GROUP_LENGTH = 3, 4

TOTP = "totp"
RECOVERY_CODE = "recovery_code"
NO_SECOND_FACTOR = "none"

WRONG_CODE = _l("Koden stämmer inte. Skriv de sex siffrorna som appen visar just nu.")


def has_second_factor(user: User) -> bool:
    """Whether the person has a confirmed second factor: an authenticator app or a passkey
    (which the second step offers beside the code)."""
    app_on = db.session.scalar(
        select(exists().where(TotpFactor.user_id == user.id, TotpFactor.confirmed_at.is_not(None)))
    )
    return bool(app_on) or has_passkey(user)


def second_factor_required(user: User) -> bool:
    """Whether the person's role must have a second factor (MFA_REQUIRED_ROLES)."""
    return user.role in current_app.config["MFA_REQUIRED_ROLES"]


def must_enrol(user: User) -> bool:
    return second_factor_required(user) and not has_second_factor(user)


def totp_factor(user: User) -> TotpFactor | None:
    return db.session.get(TotpFactor, user.id) if user.id is not None else None


def pending_totp(user: User) -> TotpFactor | None:
    """The secret shown to the person and waiting for its first code, if any."""
    factor = totp_factor(user)
    return factor if factor is not None and factor.confirmed_at is None else None


def start_totp(user: User) -> TotpFactor:
    """A new secret to show; it replaces one that was shown but never confirmed. A confirmed
    app stays as it is: there is nothing to start."""
    factor = totp_factor(user)
    if factor is not None and factor.confirmed_at is not None:
        raise ValidationError(_l("Du har redan en app för tvåstegsverifiering."))
    if factor is None:
        factor = TotpFactor(user_id=user.id)
        db.session.add(factor)
    factor.secret = pyotp.random_base32(32)
    factor.created_at = utcnow()
    factor.last_used_step = None
    return factor


def provisioning_uri(user: User, factor: TotpFactor) -> str:
    library = account_services.county_library()
    issuer = library.name if library is not None else FALLBACK_ISSUER
    return pyotp.TOTP(factor.secret).provisioning_uri(name=user.email, issuer_name=issuer)


def qr_code_svg(user: User, factor: TotpFactor) -> str:
    """The otpauth:// address as an inline SVG QR code, made here (no external service)."""
    qr = segno.make(provisioning_uri(user, factor), error="m")
    return qr.svg_inline(scale=5, border=4, dark="#000", light="#fff", title="")


def readable_secret(factor: TotpFactor) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(factor.secret[i : i + 4] for i in range(0, len(factor.secret), 4))


def confirm_totp(user: User, code: str) -> list[str]:
    """Turn the shown secret on with its first code; returns ten new recovery codes, which
    are shown once and kept only as hashes."""
    factor = pending_totp(user)
    if factor is None:
        raise ValidationError(_l("Börja om: skapa en ny nyckel för appen."), "code")
    if not _accept_totp_code(factor, code):
        raise ValidationError(WRONG_CODE, "code")
    factor.confirmed_at = utcnow()
    log.info("Authenticator app turned on by %s", user.email)
    return renew_recovery_codes(user)


def current_step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // STEP_SECONDS)


def _accept_totp_code(factor: TotpFactor, code: str) -> bool:
    """Whether `code` is the app's code for a step within the drift, later than the last one
    used. The step is taken with a conditional UPDATE, so of two requests with the same code at
    the same moment only one gets in."""
    code = "".join(code.split())
    if not (len(code) == 6 and code.isdigit()):
        return False
    totp = pyotp.TOTP(factor.secret)
    now = current_step()
    for step in range(now - ALLOWED_DRIFT_STEPS, now + ALLOWED_DRIFT_STEPS + 1):
        if not secrets.compare_digest(totp.generate_otp(step), code):
            continue
        taken = db.session.execute(
            update(TotpFactor)
            .where(
                TotpFactor.user_id == factor.user_id,
                or_(TotpFactor.last_used_step.is_(None), TotpFactor.last_used_step < step),
            )
            .values(last_used_step=step)
            .execution_options(synchronize_session=False)
        )
        db.session.refresh(factor)
        return taken.rowcount == 1
    return False


def new_recovery_code() -> str:
    length = RECOVERY_GROUPS * RECOVERY_GROUP_LENGTH
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(length))
    return "-".join(
        raw[i : i + RECOVERY_GROUP_LENGTH] for i in range(0, length, RECOVERY_GROUP_LENGTH)
    )


def normalise_recovery_code(code: str) -> str:
    """As stored: lower case, without the spaces and dashes people type or copy."""
    return "".join(char for char in code.lower() if char.isalnum())


def renew_recovery_codes(user: User) -> list[str]:
    """Ten new codes replace the old ones, used or not. Only with an app turned on: a code
    must have a factor to stand in for."""
    factor = totp_factor(user)
    if factor is None or factor.confirmed_at is None:
        raise ValidationError(_l("Slå på tvåstegsverifiering med en app först."))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=hash_password(normalise_recovery_code(code)))
        for code in codes
    )
    return codes


def unused_recovery_code_count(user: User) -> int:
    return len(
        db.session.scalars(
            select(RecoveryCode.id).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        ).all()
    )


def _accept_recovery_code(user: User, code: str) -> bool:
    """Whether `code` is one of the person's unused recovery codes; it is used up at once."""
    typed = normalise_recovery_code(code)
    if len(typed) != RECOVERY_GROUPS * RECOVERY_GROUP_LENGTH:
        return False
    unused = db.session.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ).all()
    for row in unused:
        if verify_password(row.code_hash, typed):
            used = db.session.execute(
                update(RecoveryCode)
                .where(RecoveryCode.id == row.id, RecoveryCode.used_at.is_(None))
                .values(used_at=utcnow())
                .execution_options(synchronize_session=False)
            )
            return used.rowcount == 1
    return False


def pass_second_factor(user: User, code: str) -> str:
    """The login's second step: a code from the app or a recovery code. Returns which it was;
    a wrong, old or already used code is refused beside the field."""
    factor = totp_factor(user)
    if factor is None or factor.confirmed_at is None:
        raise ValidationError(_l("Kontot har ingen tvåstegsverifiering."), "code")
    if _accept_totp_code(factor, code):
        return TOTP
    if _accept_recovery_code(user, code):
        log.info("Recovery code used by %s", user.email)
        return RECOVERY_CODE
    raise ValidationError(
        _l("Koden stämmer inte eller är redan använd. Skriv koden från appen eller en reservkod."),
        "code",
    )


def remove_second_factors(actor: User, user: User) -> None:
    """An admin removes a person's lost second factor: the app, the recovery codes and the
    passkeys go (a lost phone may hold both), every session of the person ends, the removal is
    audited and the person is told by email (if it was not them who asked, they will want to
    know)."""
    if actor.role != "admin":
        raise PermissionDenied(_l("Bara administratörer kan ta bort tvåstegsverifiering."))
    if user.id == actor.id:
        raise ValidationError(
            _l("Du kan inte ta bort din egen tvåstegsverifiering. Be en annan administratör.")
        )
    if totp_factor(user) is None and not has_passkey(user):
        raise ValidationError(_l("Personen har ingen tvåstegsverifiering."))
    db.session.execute(delete(TotpFactor).where(TotpFactor.user_id == user.id))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(Passkey).where(Passkey.user_id == user.id))
    before = user.session_version
    account_services.end_all_sessions(user)
    audit.record(
        actor,
        None,
        "remove_mfa",
        "user",
        user.id,
        {"second_factor": [TOTP, None], "session_version": [before, user.session_version]},
    )
    queue_email(
        user.email,
        "second_factor_removed",
        _l("Din tvåstegsverifiering är borttagen"),
        language=user.language,
        user=user,
        actor=actor,
        link=f"{current_app.config['PORTAL_BASE_URL']}/logga-in",
    )
    log.info("Second factor of %s removed by %s", user.email, actor.email)


def set_known_totp(user: User, secret: str) -> None:
    """Turn on an app whose secret is known already: the demo accounts' (printed by `portal
    demo`) and the one `portal create-admin` prints."""
    db.session.flush()  # a user made in this transaction gets its id
    factor = totp_factor(user) or TotpFactor(user_id=user.id)
    if factor.secret != secret:
        factor.secret = secret
        factor.last_used_step = None
    factor.confirmed_at = factor.confirmed_at or utcnow()
    db.session.add(factor)


def replace_totp(user: User) -> tuple[str, list[str]]:
    """A new app secret, turned on at once, and new recovery codes, for `portal create-admin`:
    whoever runs it on the server hands them to the admin, whose old app stops working."""
    secret = pyotp.random_base32(32)
    set_known_totp(user, secret)
    db.session.flush()
    return secret, renew_recovery_codes(user)
