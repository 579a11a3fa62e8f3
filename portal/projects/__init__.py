"""Projects: plan periods, goal areas, externally funded projects, their economy and progress."""

from flask import Blueprint

bp = Blueprint("projects", __name__)

from portal.projects import funding_routes  # noqa: E402,F401,I001
from portal.projects import plan_routes  # noqa: E402,F401
from portal.projects import progress_routes  # noqa: E402,F401
from portal.projects import routes  # noqa: E402,F401
from portal.projects import contacts_routes  # noqa: E402,F401
