"""Reports to funders are kept: the project or grant they belong to cannot be deleted."""

from sqlalchemy import select

from portal.extensions import db
from portal.projects.models import Grant, Project
from portal.reports.models import Report
from tests.projects.factories import make_project
from tests.projects.funding_factories import make_grant
from tests.reports.factories import bokstart_project, make_report


def page_of(response) -> str:
    return response.get_data(as_text=True)


def test_project_with_a_funder_report_is_not_deleted_and_the_page_says_why(client, login_as):
    report = make_report(bokstart_project(slug="bokstart"))
    login_as("staff")
    response = client.post("/projekt/bokstart/ta-bort")
    assert response.status_code == 400
    page = page_of(response)
    assert "Projektet har rapporter till finansiärer och kan därför inte tas bort" in page
    assert "Ändra i stället projektets status till Avslutat." in page
    db.session.expire_all()
    assert db.session.scalar(select(Project).where(Project.slug == "bokstart")) is not None
    assert db.session.get(Report, report.id) is not None


def test_project_without_reports_is_still_deleted(client, login_as):
    """The control for the test above: the same project without a report goes."""
    bokstart_project(slug="bokstart")
    login_as("staff")
    response = client.post("/projekt/bokstart/ta-bort")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(Project).where(Project.slug == "bokstart")) is None


def test_grant_with_a_funder_report_is_not_deleted_and_the_page_says_why(client, login_as):
    project = make_project("Bokstart", slug="bokstart")
    grant_id = make_grant(project).id
    make_report(project)
    login_as("staff")
    response = client.post(f"/projekt/bokstart/ekonomi/bidrag/{grant_id}/ta-bort")
    assert response.status_code == 400
    assert "Bidraget har rapporter till finansiären och kan därför inte tas bort" in page_of(
        response
    )
    db.session.expire_all()
    assert db.session.get(Grant, grant_id) is not None
