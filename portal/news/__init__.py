"""News from the county library: written in Markdown, scheduled, aimed at an audience."""

from flask import Blueprint

bp = Blueprint("news", __name__)

from portal.news import routes  # noqa: E402,F401
