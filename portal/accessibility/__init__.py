"""Accessibility: the statement DIGG's model asks for at /tillganglighet, and the form anyone
may use, logged in or not, to report a barrier or ask for content in another form."""

from flask import Blueprint

bp = Blueprint("accessibility", __name__)

from portal.accessibility import history_text, routes  # noqa: E402,F401
