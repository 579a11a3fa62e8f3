"""The demo: a region imported from its file (regions/demo/plan.toml names it), one user per
role, the regional library plan 2015–2017 with its ended projects (two or three per goal area),
the current plan with projects running around the day the demo is loaded, news, events,
documents and a draft report. Loading it twice is safe: what exists is left as it is.

The data is in regions/demo/*.toml, outside the package, so that no code names the county;
the modules here turn it into rows, built directly with the models so the demo does not depend
on the services' rules."""

from datetime import date
from typing import Any

from portal.demo.accounts import demo_email, demo_users, load_users
from portal.demo.content import load_documents, load_events, load_news, load_report
from portal.demo.projects import load_plan, load_region
from portal.extensions import db

# The demo accounts by role, for the tests and benchmarks that act as one of them.
ADMIN = demo_email("admin")
STAFF = demo_email("staff")
LIBRARIAN = demo_email("member")

__all__ = ["ADMIN", "LIBRARIAN", "STAFF", "load_demo"]


def load_demo() -> list[dict[str, Any]]:
    """Create what is missing; returns the demo accounts (email, name, role, organisation,
    password) for printing."""
    today = date.today()
    organisations = load_region(today)
    load_users(organisations)
    db.session.flush()
    load_plan(organisations, today)
    db.session.flush()
    load_news(today)
    load_events(today)
    load_documents()
    load_report()
    db.session.commit()
    return demo_users()
