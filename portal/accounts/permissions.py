"""Who is county library staff: the one rule behind every feature's "staff may" and the
templates' `is_staff(current_user)`.

Staff and admins read and write news, events and documents everywhere, create and edit every
project, see its history and approve reports. Features that need a name of their own for an
action (`can_approve_reports`) build it on `is_staff`; none repeats the roles.
"""

from portal.accounts.models import User
from portal.core.permissions import require_role

STAFF_ROLES = ("staff", "admin")

require_staff = require_role(*STAFF_ROLES)


def is_staff(user: User) -> bool:
    """County library staff or an admin; a visitor who is not logged in is neither."""
    return bool(user.is_authenticated) and user.role in STAFF_ROLES
