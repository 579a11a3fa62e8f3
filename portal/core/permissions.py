"""Who may do what: one decorator for role-guarded views."""

from functools import wraps

from flask import abort
from flask_login import current_user

from portal.extensions import login_manager


def require_role(*roles: str):
    """Strangers go to the login page; a logged-in user without the role gets 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
