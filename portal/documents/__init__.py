"""Documents: folders, files with versions and public-record fields, aimed at an audience."""

from flask import Blueprint

bp = Blueprint("documents", __name__)

from portal.documents import bin_routes, folder_routes, history_text, routes  # noqa: E402,F401
