"""Reports to funders: drafted from a project's record, reviewed, approved, sent as PDF."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

# The tables, the guard in services that freezes sent reports, the guard that keeps reports
# (keeping), the pages and sending.
from portal.reports import (  # noqa: E402, F401
    delivery_routes,
    keeping,
    models,
    routes,
    services,
    template_routes,
)
