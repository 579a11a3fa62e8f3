"""Downloads as CSV and XLSX: the project list, a project's economy and the statistics tables.

`writers` turns (headers, rows) into a file; `routes` serves the project downloads (the
statistics page serves its own tables).
"""

from flask import Blueprint

bp = Blueprint("exports", __name__)

from portal.exports import routes  # noqa: E402,F401
