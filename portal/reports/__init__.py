"""Reports to funders: drafted from a project's record, reviewed, approved, sent as PDF."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

# The tables, and the guard in services that freezes sent reports.
from portal.reports import models, services  # noqa: E402, F401
