"""Who may draft, edit and approve a project's reports."""

from flask import abort

from portal.accounts.models import User
from portal.accounts.permissions import is_staff
from portal.projects.models import Project
from portal.projects.permissions import can_edit


def can_manage_reports(project: Project, user: User) -> bool:
    """Staff and admins, the project lead and the project team: those who edit the project."""
    return can_edit(project, user)


def can_approve_reports(user: User) -> bool:
    """Approving a report to a funder is for county library staff and admins."""
    return is_staff(user)


def require_manage_reports(project: Project, user: User) -> None:
    if not can_manage_reports(project, user):
        abort(403)
