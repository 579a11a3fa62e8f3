"""Sessions: the user loader, which checks the session on the server, and the idle and absolute
limits.

The signed cookie carries the user id with its session version and a random session id; the
database keeps a row per session with only a hash of that id (UserSession). A session is live
while its row is not ended and the user's version still matches, so a copied cookie stops
working the moment the session is ended here: a logout ends its own row, a password change or
"log out everywhere" bumps the version and ends the rows (portal/accounts/services.py).
"""

import secrets
import time

from flask import current_app, flash, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from portal.accounts import bp, services
from portal.accounts.mfa import services as mfa
from portal.accounts.models import User, UserSession
from portal.accounts.tokens import hash_token
from portal.core.i18n import _l
from portal.core.read_cache import remember_version, version_column
from portal.core.region_identity import remember_token, token_column
from portal.extensions import db, login_manager

# The last-seen time is rewritten at most once a minute, not on every request: an unchanged
# session is not signed and sent again, and the idle limit is kept to within a minute.
SEEN_AT_RESOLUTION_SECONDS = 60
# How the login's second step was passed, in the session (start_session).
SECOND_FACTOR_KEY = "second_factor"
# Between the password and the second factor (hold_for_second_factor): who, for how long.
PENDING_LOGIN_KEY = "pending_login"
PENDING_LOGIN_SECONDS = 5 * 60

login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Logga in för att se sidan.")
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The user, if the cookie's session is live: its row not ended, its version current.
    One query, which every page runs anyway, checks the session and brings along the read
    cache's data version (portal/core/read_cache.py) and the region's token
    (portal/core/region_identity.py)."""
    raw_id, _, version = user_id.partition(":")
    session_id = session.get("sid")
    if not raw_id.isdigit() or not version.isdigit() or not isinstance(session_id, str):
        return None
    found = db.session.execute(
        select(User, version_column(), token_column())
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            User.id == int(raw_id),
            UserSession.sid_hash == hash_token(session_id),
            UserSession.ended_at.is_(None),
        )
    ).first()
    if found is None:
        return None
    user, data_version, region_token = found
    remember_version(data_version)
    remember_token(region_token)
    if not user.active or user.session_version != int(version):
        return None
    return user


def start_session(user: User, second_factor: str = "none") -> None:
    """Log in with a fresh session: nothing from before the login survives, not even its id
    (nor a half-done login). `second_factor` says how the login's second step was passed
    ("totp", "recovery_code"), or "none"; a role that must have one is held at enrolment
    while it is "none" (portal/accounts/mfa/routes.py). The caller commits the session's
    row."""
    session.clear()
    session_id = secrets.token_urlsafe(32)
    services.open_session(user, session_id, request.user_agent.string, request.remote_addr)
    login_user(user)
    session.permanent = True
    session["sid"] = session_id
    session[SECOND_FACTOR_KEY] = second_factor
    now = int(time.time())
    session["login_at"] = now
    session["seen_at"] = now


def complete_login(user: User, destination: str, second_factor: str | None = None) -> str:
    """The first factor passed (a password, a municipal account): where the person goes now.
    `second_factor` names a second factor already passed elsewhere (an IdP that did MFA), which
    logs in at once. Without one, a person who has a second factor is held for it, and one whose
    role must have one but has none is logged in and sent to enrolment. The caller commits."""
    if second_factor is None and mfa.has_second_factor(user):
        hold_for_second_factor(user, destination)
        return url_for("accounts.second_factor")
    services.record_login(user)
    start_session(user, second_factor or mfa.NO_SECOND_FACTOR)
    if second_factor is None and mfa.must_enrol(user):
        return url_for("accounts.two_factor")
    return destination


def passed_second_factor(method: str) -> None:
    """Note in this session that its person has now passed a second factor (enrolled one)."""
    session[SECOND_FACTOR_KEY] = method


def session_second_factor() -> str:
    return session.get(SECOND_FACTOR_KEY) or "none"


def hold_for_second_factor(user: User, destination: str) -> None:
    """The password was right and the person has a second factor: remember who is half logged
    in, and nothing more. The session is not logged in (no user id for Flask-Login, no session
    row), so this state opens no page but the second step's."""
    session.clear()
    session[PENDING_LOGIN_KEY] = {
        "uid": user.id,
        "version": user.session_version,
        "at": int(time.time()),
        "next": destination,
    }


def pending_login() -> tuple[User, str] | None:
    """The half-logged-in person and where they were going, while the state is fresh, the
    account active and its sessions not ended since the password (a password change, an admin's
    "log out everywhere")."""
    pending = session.get(PENDING_LOGIN_KEY)
    if not isinstance(pending, dict):
        return None
    uid, version, started = pending.get("uid"), pending.get("version"), pending.get("at")
    if not all(isinstance(value, int) for value in (uid, version, started)):
        return None
    if time.time() - started > PENDING_LOGIN_SECONDS:
        return None
    user = db.session.get(User, uid)
    if user is None or not user.active or user.session_version != version:
        return None
    return user, pending.get("next") or "/"


def forget_pending_login() -> None:
    session.pop(PENDING_LOGIN_KEY, None)


def current_session_id() -> str:
    return session["sid"]


def refresh_login(user: User) -> None:
    """Keep the current session after ending the user's others bumped the version."""
    login_user(user)


def end_current_session() -> None:
    """Log out here: this session's row ends and the cookie is emptied. The caller commits."""
    session_id = session.get("sid")
    if isinstance(session_id, str):
        services.end_session(session_id)
    logout_user()
    session.clear()


@bp.before_app_request
def enforce_session_limits():
    if not current_user.is_authenticated or request.endpoint == "static":
        return None
    now = int(time.time())
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    absolute = current_app.config["SESSION_ABSOLUTE_HOURS"] * 3600
    if now - session.get("seen_at", 0) > idle or now - session.get("login_at", 0) > absolute:
        end_current_session()
        db.session.commit()
        flash(_l("Du har loggats ut eftersom sessionen tog slut. Logga in igen."), "info")
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
    if now - session.get("seen_at", 0) >= SEEN_AT_RESOLUTION_SECONDS:
        session["seen_at"] = now
    return None
