"""Downloads as CSV and XLSX: the project list, a project's economy and the statistics tables.

`writers` turns (headers, rows) into a file; `routes` serves the project downloads (the
statistics page serves its own tables); `audit_log` the admins' log of changes.
"""

from flask import Blueprint

bp = Blueprint("exports", __name__)

from portal.exports import audit_log, routes  # noqa: E402,F401
