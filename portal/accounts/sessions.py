"""Sessions: the user loader with its session version, and the idle and absolute limits."""

import secrets
import time

from flask import current_app, flash, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from portal.accounts import bp
from portal.accounts.models import User
from portal.core.i18n import _l
from portal.core.read_cache import remember_version, version_column
from portal.extensions import db, login_manager

# The last-seen time is rewritten at most once a minute, not on every request: an unchanged
# session is not signed and sent again, and the idle limit is kept to within a minute.
SEEN_AT_RESOLUTION_SECONDS = 60

login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Logga in för att se sidan.")
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The id carries the session version; an older version means the session has ended.
    The read cache's data version comes along in the same query (portal/core/read_cache.py)."""
    raw_id, _, version = user_id.partition(":")
    if not raw_id.isdigit() or not version.isdigit():
        return None
    found = db.session.execute(select(User, version_column()).where(User.id == int(raw_id))).first()
    if found is None:
        return None
    user, data_version = found
    remember_version(data_version)
    if not user.active or user.session_version != int(version):
        return None
    return user


def start_session(user: User) -> None:
    """Log in with a fresh session: nothing from before the login survives, not even its id."""
    session.clear()
    login_user(user)
    session.permanent = True
    session["sid"] = secrets.token_urlsafe(16)
    now = int(time.time())
    session["login_at"] = now
    session["seen_at"] = now


def refresh_login(user: User) -> None:
    """Keep the current session after the user's own password change bumped the version."""
    login_user(user)


@bp.before_app_request
def enforce_session_limits():
    if not current_user.is_authenticated or request.endpoint == "static":
        return None
    now = int(time.time())
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    absolute = current_app.config["SESSION_ABSOLUTE_HOURS"] * 3600
    if now - session.get("seen_at", 0) > idle or now - session.get("login_at", 0) > absolute:
        logout_user()
        session.clear()
        flash(_l("Du har loggats ut eftersom sessionen tog slut. Logga in igen."), "info")
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
    if now - session.get("seen_at", 0) >= SEEN_AT_RESOLUTION_SECONDS:
        session["seen_at"] = now
    return None
