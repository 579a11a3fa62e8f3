"""Reports to funders: drafted from a project's record, reviewed, approved, sent as PDF."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

# The tables, the guard in services that freezes sent reports, and sending to the funder.
from portal.reports import delivery_routes, models, services  # noqa: E402, F401
