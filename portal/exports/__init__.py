"""Downloads as CSV and XLSX: the project list, a project's economy, the statistics tables and
the document register.

`writers` turns (headers, rows) into a file; `routes` serves the project downloads (the
statistics page serves its own tables); `audit_log` the admins' log of changes;
`document_register` the documents' public-record fields.
"""

from flask import Blueprint

bp = Blueprint("exports", __name__)

from portal.exports import audit_log, document_register, routes  # noqa: E402,F401
