"""Samples for tests/test_route_access.py: one Bokstart-like project with a draft report and a
report in review, both by a colleague (so any staff member may approve under four eyes)."""

from sqlalchemy import select

from portal.accounts.models import User
from portal.extensions import db
from portal.projects.models import Project
from portal.reports import services
from portal.reports.models import Report
from tests.factories import make_user
from tests.reports.factories import bokstart_project, kulturradet_template, make_report

SLUG = "rapportprov"


def _project() -> Project:
    project = db.session.scalar(select(Project).where(Project.slug == SLUG))
    return project or bokstart_project(slug=SLUG)


def _colleague() -> User:
    email = "kollega@lansbiblioteket.example"
    return db.session.scalar(select(User).where(User.email == email)) or make_user(
        role="staff", email=email
    )


def _report(state: str) -> Report:
    project = _project()
    found = db.session.scalar(
        select(Report).where(Report.project_id == project.id, Report.state == state)
    )
    if found:
        return found
    report = make_report(project=project, actor=_colleague())
    if state == "in_review":
        services.request_review(report, _colleague())
        db.session.commit()
    return report


SAMPLE_MAKERS = {
    "report_project_slug": lambda: _project().slug,
    "report_grant": lambda: _project().grants[0].id,
    "report_template": lambda: kulturradet_template().id,
    "report": lambda: _report("draft").id,
    "report_in_review": lambda: _report("in_review").id,
}
