"""Finding a project from its URL."""

from flask import abort
from sqlalchemy import select

from portal.extensions import db
from portal.projects.models import Project


def project_by_slug(slug: str) -> Project:
    project = db.session.scalar(select(Project).where(Project.slug == slug))
    if project is None:
        abort(404)
    return project
