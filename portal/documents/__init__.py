"""Documents: folders, files with versions and public-record fields, aimed at an audience."""

from flask import Blueprint

bp = Blueprint("documents", __name__)

from portal.documents import (  # noqa: E402,F401
    bin_routes,
    folder_routes,
    history_text,
    register_routes,
    routes,
)
