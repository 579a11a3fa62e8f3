"""Reports to funders: drafted from a project's record, reviewed, approved, sent as PDF."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

# The tables, the guard in services that freezes sent reports, and the pages.
from portal.reports import models, routes, services, template_routes  # noqa: E402, F401
