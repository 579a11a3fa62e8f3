"""Finding a project from its URL."""

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from portal.extensions import db
from portal.projects.models import Project
from portal.projects.permissions import require_edit


def project_by_slug(slug: str) -> Project:
    project = db.session.scalar(select(Project).where(Project.slug == slug))
    if project is None:
        abort(404)
    return project


def editable_project(slug: str) -> Project:
    """The project, if the current user may edit it (403 otherwise, 404 if there is none)."""
    project = project_by_slug(slug)
    require_edit(project, current_user)
    return project


def found_or_404(row):
    """A row looked up within a project; another project's id is simply not found."""
    if row is None:
        abort(404)
    return row
