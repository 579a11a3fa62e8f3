"""Projects: plan periods, goal areas, externally funded projects, their economy and progress.

Each concept is a sub-package with its routes, forms and services (`plan/`, `funding/`,
`progress/`, `contacts/`); what they share sits here: the models, who may edit, the lookups.
"""

from portal.projects import routes  # noqa: F401
from portal.projects.blueprint import bp
from portal.projects.contacts import routes as contacts_routes  # noqa: F401
from portal.projects.funding import routes as funding_routes  # noqa: F401
from portal.projects.plan import routes as plan_routes  # noqa: F401
from portal.projects.progress import routes as progress_routes  # noqa: F401

__all__ = ["bp"]
