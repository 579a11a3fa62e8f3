"""Reports to funders: drafted from a project's record, reviewed, approved, sent as PDF."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

from portal.reports import models  # noqa: E402, F401  (registers the tables)
