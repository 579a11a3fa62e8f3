"""The dashboard after login: my projects, deadlines ahead, latest updates, the goal areas."""

from datetime import date, timedelta

import pytest

from portal.extensions import db
from portal.projects.models import Milestone, ProgressUpdate, ReportDeadline
from tests.conftest import empty_database
from tests.factories import make_organisation, make_user
from tests.projects.factories import make_goal_area, make_plan_period, make_project
from tests.projects.funding_factories import make_grant
from tests.queries import counted_statements

pytestmark = pytest.mark.both_databases

TODAY = date.today()


def add_progress(project, author, days_ahead=10):
    with db.session.no_autoflush:
        rows = [
            Milestone(
                project=project, title="Utbildning för BVC", due_on=TODAY + timedelta(days_ahead)
            ),
            ProgressUpdate(
                project=project,
                author=author,
                reported_on=TODAY,
                text=f"Lägesrapport för {project.title}",
                health="on_track",
            ),
        ]
    db.session.add_all(rows)
    db.session.commit()


def test_dashboard_still_greets_the_person_by_name(client, login_as):
    login_as("member", name="Karin Holm")
    assert "Välkommen, Karin Holm" in client.get("/").get_data(as_text=True)


def test_my_projects_are_those_i_lead_am_in_the_team_of_or_my_library_takes_part_in(
    client, login_as
):
    kramfors = make_organisation("Kramfors bibliotek")
    me = login_as("member", organisation=kramfors)
    area = make_goal_area()
    make_project("Bokstart Västernorrland", goal_area=area, participants=[kramfors])
    make_project("Läsambassadörer", goal_area=area, lead=me)
    make_project("Digitalt först", goal_area=area, team=[me])
    make_project("Sundsvalls sagostund", goal_area=area)
    page = client.get("/").get_data(as_text=True)
    for title in ("Bokstart Västernorrland", "Läsambassadörer", "Digitalt först"):
        assert title in page
    assert "Sundsvalls sagostund" not in page


def test_deadlines_in_the_next_30_days_show_milestones_and_report_deadlines(client, login_as):
    me = login_as("staff")
    project = make_project("Bokstart Västernorrland", lead=me)
    grant = make_grant(project, case_number="KUR 2015/1234")
    grant.deadlines = [
        ReportDeadline(kind="final_report", due_on=TODAY + timedelta(days=20)),
        ReportDeadline(kind="progress_report", due_on=TODAY + timedelta(days=40)),
        ReportDeadline(
            kind="progress_report", due_on=TODAY + timedelta(days=5), submitted_on=TODAY
        ),
    ]
    db.session.add_all(
        [
            Milestone(project=project, title="Boksläpp på BVC", due_on=TODAY + timedelta(days=3)),
            Milestone(
                project=project,
                title="Redan klar milstolpe",
                due_on=TODAY + timedelta(days=4),
                done_on=TODAY,
            ),
            Milestone(project=project, title="Långt fram", due_on=TODAY + timedelta(days=60)),
        ]
    )
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "Milstolpe: Boksläpp på BVC" in page
    assert "Slutredovisning (KUR 2015/1234)" in page
    assert "Redan klar milstolpe" not in page
    assert "Långt fram" not in page
    assert "Lägesrapport (KUR 2015/1234)" not in page


def test_latest_updates_come_from_my_projects_only(client, login_as):
    me = login_as("staff", name="Erik Sjölund")
    mine = make_project("Bokstart Västernorrland", lead=me)
    other = make_project("Sundsvalls sagostund")
    add_progress(mine, me)
    add_progress(other, me)
    page = client.get("/").get_data(as_text=True)
    assert "Lägesrapport för Bokstart Västernorrland" in page
    assert "Lägesrapport för Sundsvalls sagostund" not in page


def test_goal_area_rows_count_projects_of_the_current_plan_period(client, login_as):
    login_as("member")
    current = make_plan_period("Regional biblioteksplan 2015–2017", current=True)
    old = make_plan_period("Regional biblioteksplan 2012–2014", current=False)
    reading = make_goal_area("Litteratur och läsfrämjande", plan_period=current)
    make_goal_area("Gammalt målområde", plan_period=old)
    make_project("Bokstart Västernorrland", goal_area=reading, health="at_risk")
    make_project("Läsambassadörer", goal_area=reading)
    page = client.get("/").get_data(as_text=True)
    assert "Regional biblioteksplan 2015–2017" in page
    assert "Litteratur och läsfrämjande" in page
    assert "Gammalt målområde" not in page
    assert '<td class="num">2</td>' in page


def dashboard_statements(client, login_as, projects: int) -> int:
    kramfors = make_organisation("Kramfors bibliotek")
    me = login_as("member", organisation=kramfors)
    area = make_goal_area(plan_period=make_plan_period(current=True))
    author = make_user(role="staff")
    for number in range(projects):
        project = make_project(
            f"Projekt {number}", goal_area=area, participants=[kramfors], team=[me]
        )
        add_progress(project, author)
        make_grant(project, case_number=f"KUR {number}").deadlines[0].due_on = TODAY
        db.session.commit()
    with counted_statements() as statements:
        response = client.get("/")
    assert response.status_code == 200
    return len(statements)


def test_dashboard_runs_as_many_statements_with_two_projects_as_with_thirty(app, client, login_as):
    few = dashboard_statements(client, login_as, 2)
    empty_database()
    many = dashboard_statements(client, login_as, 30)
    assert few == many
    assert few <= 10
