"""Notifications: the email outbox, its delivery backends, Celery tasks and admin page."""

from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/admin/utskick")

from portal.notifications import routes  # noqa: E402,F401
