"""Who may do what with a project. Every view asks here; nothing is decided in a template."""

from flask import abort

from portal.accounts.models import User
from portal.accounts.permissions import is_staff
from portal.projects.models import Project


def can_edit(project: Project, user: User) -> bool:
    """Staff and admins, the project lead and the project team."""
    if not user.is_authenticated:
        return False
    return (
        is_staff(user)
        or project.lead_id == user.id
        or any(member.id == user.id for member in project.team)
    )


def can_post_update(project: Project, user: User) -> bool:
    """Editors, and members of the project's participating organisations."""
    if can_edit(project, user):
        return True
    return user.organisation_id is not None and any(
        participant.organisation_id == user.organisation_id for participant in project.participants
    )


def require_edit(project: Project, user: User) -> None:
    if not can_edit(project, user):
        abort(403)
