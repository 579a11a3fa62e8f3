"""Rules for accounts, their sessions and organisations. Views call these and commit once."""

import logging
from datetime import timedelta

from flask import current_app
from limits import parse
from sqlalchemy import delete, func, or_, select, update

from portal.accounts import passwords, tokens
from portal.accounts.models import ROLES, Invitation, Organisation, User, UserSession
from portal.accounts.passwords import hash_password, password_problem, verify_password
from portal.core import audit
from portal.core.dates import utcnow
from portal.core.errors import PermissionDenied, ValidationError
from portal.core.i18n import _l
from portal.extensions import db, limiter
from portal.notifications.outbox import checked_address, queue_email

log = logging.getLogger(__name__)


def normalise_email(email: str) -> str:
    return checked_address(email.strip()).lower()


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(email: str, password: str) -> User | None:
    """The user if the password matches an active account; the same work either way."""
    user = user_by_email(email)
    ok = verify_password(user.password_hash if user else None, password)
    if user and ok and user.active:
        return user
    return None


def record_login(user: User) -> None:
    user.last_login_at = utcnow()


def record_failed_login(email: str, address: str) -> None:
    """Count a failed login toward the owner's alert: when the account's failures pass
    LOGIN_FAILURE_ALERT, one email is queued to the owner, and no other until that much time
    has gone by. The counts are kept in the rate limits' storage (Redis in production)."""
    alert = parse(current_app.config["LOGIN_FAILURE_ALERT"])
    once = type(alert)(1, alert.multiples)
    account = email.strip().lower()
    try:
        if limiter.limiter.hit(alert, "login-failure-alert", account):
            return
        if not limiter.limiter.hit(once, "login-failure-alert-sent", account):
            return
    except Exception:  # a stopped Redis must not take logins down with it, as the limits
        log.warning("Login failure alert not counted: the rate limit storage failed")
        return
    user = user_by_email(account)
    if user is None or not user.active:
        return
    queue_email(
        user.email,
        "login_failures",
        _l("Många misslyckade inloggningar på ditt konto"),
        language=user.language,
        user=user,
        failures=alert.amount,
        address=address,
        link=f"{current_app.config['PORTAL_BASE_URL']}/profil/losenord",
    )
    log.warning("Failed logins past the alert for %s (latest from %s)", user.email, address)


def check_password(password: str, name: str, email: str) -> None:
    problem = password_problem(password, name=name, email=email, place_words=place_words())
    if problem:
        raise ValidationError(problem, field="password")


def place_words() -> list[str]:
    """The organisations' and municipalities' names, word by word: what anyone who knows where
    a person works tries first, so they are refused as the bulk of a password."""
    rows = db.session.execute(select(Organisation.name, Organisation.municipality_name))
    return passwords.place_words([text for row in rows for text in row if text])


def _ensure_email_free(email: str) -> None:
    if user_by_email(email):
        raise ValidationError(_l("Det finns redan ett konto med den e-postadressen."), "email")
    pending = db.session.scalar(
        select(Invitation).where(
            Invitation.email == email,
            Invitation.accepted_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
    )
    if pending:
        raise ValidationError(_l("Den e-postadressen har redan en giltig inbjudan."), "email")


def invite_user(
    actor: User, email: str, name: str, organisation_id: int | None, role: str
) -> Invitation:
    """Create an invitation valid for seven days and queue its email."""
    if actor.role != "admin":
        raise PermissionDenied(_l("Bara administratörer kan bjuda in."))
    if role not in ROLES:
        raise ValidationError(_l("Välj en roll."), "role")
    email = normalise_email(email)
    _ensure_email_free(email)
    organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
    token, token_hash = tokens.new_token()
    days = current_app.config["INVITATION_DAYS"]
    invitation = Invitation(
        email=email,
        name=name.strip(),
        organisation=organisation,
        role=role,
        token_hash=token_hash,
        invited_by=actor,
        expires_at=utcnow() + timedelta(days=days),
    )
    db.session.add(invitation)
    queue_email(
        email,
        "invitation",
        _l("Inbjudan till portalen"),
        invitation=invitation,
        inviter=actor,
        organisation=organisation,
        link=f"{current_app.config['PORTAL_BASE_URL']}/inbjudan/{token}",
        days=days,
    )
    log.info("Invitation for %s created by %s", email, actor.email)
    return invitation


def invitation_for_token(token: str) -> Invitation:
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == tokens.hash_token(token))
    )
    if invitation is None or invitation.accepted_at or invitation.expires_at <= utcnow():
        raise ValidationError(_l("Inbjudan är ogiltig, redan använd eller har gått ut."))
    return invitation


def accept_invitation(token: str, password: str) -> User:
    invitation = invitation_for_token(token)
    if user_by_email(invitation.email):
        raise ValidationError(_l("Det finns redan ett konto med den e-postadressen."))
    check_password(password, invitation.name, invitation.email)
    user = User(
        email=invitation.email,
        name=invitation.name,
        organisation=invitation.organisation,
        role=invitation.role,
        password_hash=hash_password(password),
    )
    invitation.accepted_at = utcnow()
    db.session.add(user)
    log.info("Invitation for %s accepted", user.email)
    return user


def request_password_reset(email: str) -> None:
    """Queue a reset link for an active account; an unknown address gets no email."""
    user = user_by_email(email)
    if user is None or not user.active:
        log.info("Password reset asked for unknown or inactive address")
        return
    token = tokens.make_reset_token(user.id, user.password_hash)
    queue_email(
        user.email,
        "password_reset",
        _l("Återställ ditt lösenord"),
        language=user.language,
        user=user,
        link=f"{current_app.config['PORTAL_BASE_URL']}/aterstall-losenord/{token}",
    )


def user_for_reset_token(token: str) -> User:
    max_age = current_app.config["PASSWORD_RESET_HOURS"] * 3600
    data = tokens.read_reset_token(token, max_age)
    user = db.session.get(User, data["uid"]) if data else None
    if (
        user is None
        or not user.active
        or data["fp"] != tokens.password_fingerprint(user.password_hash)
    ):
        raise ValidationError(_l("Länken är ogiltig, redan använd eller har gått ut."))
    return user


def reset_password(token: str, password: str) -> User:
    """A reset ends every session: whoever asked for it may not be the one logged in."""
    user = user_for_reset_token(token)
    set_password(user, password)
    end_all_sessions(user)
    return user


def set_password(user: User, password: str) -> None:
    check_password(password, user.name, user.email)
    user.password_hash = hash_password(password)


def change_password(user: User, current_password: str, new_password: str, session_id: str) -> None:
    """The user's own change: the session that made it stays, every other one ends."""
    if not verify_password(user.password_hash, current_password):
        raise ValidationError(_l("Nuvarande lösenord stämmer inte."), "current_password")
    set_password(user, new_password)
    end_other_sessions(user, session_id)


def open_session(
    user: User, session_id: str, user_agent: str | None, ip_address: str | None
) -> UserSession:
    """Record a login; the session is live until it is ended below. Flushed, so a user made
    in this transaction has the id and session version its cookie will carry."""
    row = UserSession(
        user=user,
        sid_hash=tokens.hash_token(session_id),
        user_agent=(user_agent or "")[:200] or None,
        ip_address=(ip_address or "")[:45] or None,
    )
    db.session.add(row)
    db.session.flush()
    return row


def end_session(session_id: str) -> None:
    """Log out one session; the user's other devices stay logged in."""
    _end_sessions(UserSession.sid_hash == tokens.hash_token(session_id))


def end_other_sessions(user: User, session_id: str) -> None:
    """Every session of the user but this one ends. The version is bumped as well, which also
    ends a login committing at this moment; the view logs this session in again with the new
    version (sessions.refresh_login)."""
    user.session_version += 1
    _end_sessions(
        UserSession.user_id == user.id,
        UserSession.sid_hash != tokens.hash_token(session_id),
    )


def end_all_sessions(user: User) -> None:
    """Every session of the user ends: the version in each cookie is out of date, including a
    login committing at this moment, and the rows say so too."""
    user.session_version += 1
    _end_sessions(UserSession.user_id == user.id)


def _end_sessions(*conditions) -> None:
    db.session.execute(
        update(UserSession)
        .where(*conditions, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def log_out_everywhere(actor: User, user: User) -> None:
    """An admin ends every session of someone else (a lost laptop, a shared password)."""
    if actor.role != "admin":
        raise PermissionDenied(_l("Bara administratörer kan logga ut andra."))
    if user.id == actor.id:
        raise ValidationError(
            _l("Du kan inte logga ut dig själv här. Logga ut dina andra enheter från din profil.")
        )
    before = user.session_version
    end_all_sessions(user)
    audit.record(
        actor,
        None,
        "end_sessions",
        "user",
        user.id,
        {"session_version": [before, user.session_version]},
    )


def purge_sessions() -> int:
    """Delete the rows of ended sessions and of sessions past the absolute limit (whose cookie
    no longer works): the table keeps only sessions that may still be in use."""
    oldest = utcnow() - timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"])
    result = db.session.execute(
        delete(UserSession).where(
            or_(UserSession.ended_at.is_not(None), UserSession.created_at < oldest)
        )
    )
    return result.rowcount


def update_profile(user: User, name: str, title: str, phone: str, language: str) -> None:
    user.name = name.strip()
    user.title = title.strip() or None
    user.phone = phone.strip() or None
    user.language = language


def change_role(actor: User, user: User, role: str) -> None:
    if role not in ROLES:
        raise ValidationError(_l("Välj en roll."), "role")
    if user.id == actor.id:
        raise ValidationError(_l("Du kan inte ändra din egen roll."), "role")
    user.role = role
    log.info("Role of %s set to %s by %s", user.email, role, actor.email)


def set_active(actor: User, user: User, active: bool) -> None:
    if user.id == actor.id:
        raise ValidationError(_l("Du kan inte avaktivera ditt eget konto."))
    if active and user.erased_at is not None:
        raise ValidationError(_l("Ett raderat konto kan inte aktiveras igen."))
    user.active = active
    if not active:
        end_all_sessions(user)
    log.info("User %s active=%s by %s", user.email, active, actor.email)


def save_organisation(organisation: Organisation | None, **fields) -> Organisation:
    name = fields["name"].strip()
    clash = db.session.scalar(
        select(Organisation).where(func.lower(Organisation.name) == name.lower())
    )
    if clash and clash is not organisation:
        raise ValidationError(_l("Det finns redan en organisation med det namnet."), "name")
    if organisation is None:
        organisation = Organisation(name=name, kind=fields["kind"])
        db.session.add(organisation)
    organisation.name = name
    organisation.kind = fields["kind"]
    organisation.municipality_name = (fields.get("municipality_name") or "").strip() or None
    organisation.municipality_code = (fields.get("municipality_code") or "").strip() or None
    contact = (fields.get("contact_email") or "").strip()
    organisation.contact_email = normalise_email(contact) if contact else None
    return organisation


def create_or_reset_admin(email: str, name: str, password: str) -> User:
    email = normalise_email(email)
    check_password(password, name, email)
    user = user_by_email(email)
    if user is None:
        user = User(email=email, name=name, role="admin", password_hash="", session_version=1)
        db.session.add(user)
    else:
        end_all_sessions(user)
    user.name, user.role, user.active = name, "admin", True
    user.password_hash = hash_password(password)
    return user


def county_library() -> Organisation | None:
    """The county library: the organisation of that kind (the first, should there be two).
    Its name is data, so that any county's library can run the portal."""
    return db.session.scalar(
        select(Organisation)
        .where(Organisation.kind == "county_library")
        .order_by(Organisation.id)
        .limit(1)
    )
