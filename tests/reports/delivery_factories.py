"""Approved reports ready to send, with the funder's contacts."""

from datetime import date

from portal.extensions import db
from portal.projects.models import ReportDeadline
from portal.reports import services
from tests.factories import make_user
from tests.projects.funding_factories import make_funder_contact
from tests.reports.factories import bokstart_project, make_report

CASE_NUMBER = "KUR 2015/1234"
HANDLAGGARE = "maria.lindqvist@kulturradet.example.org"
REGISTRATOR = "registrator@kulturradet.example.org"


def approved_report(project=None, contacts=True, slug="bokstart-vasternorrland"):
    """Bokstart's first-half progress report to Kulturrådet, drafted, reviewed and approved by
    staff (four eyes); with `contacts`, Kulturrådet has two contacts who receive reports and
    one who does not."""
    project = project or bokstart_project(slug=slug)
    report = make_report(project)
    author = make_user(role="staff", name="Erik Sjölund")
    approver = make_user(role="staff", name="Astrid Nordin")
    services.request_review(report, author)
    services.approve(report, approver)
    db.session.commit()
    if contacts:
        funder = report.grant.funder
        make_funder_contact(funder, name="Maria Lindqvist", email=HANDLAGGARE)
        make_funder_contact(funder, name="Kulturrådets registrator", email=REGISTRATOR)
        make_funder_contact(
            funder,
            name="Ingen Rapport",
            email="ingen@kulturradet.example.org",
            receives_reports=False,
        )
    return report


def add_progress_deadlines(grant, *due_dates: date) -> list[ReportDeadline]:
    deadlines = [
        ReportDeadline(grant=grant, kind="progress_report", due_on=due) for due in due_dates
    ]
    db.session.add_all(deadlines)
    db.session.commit()
    return deadlines
