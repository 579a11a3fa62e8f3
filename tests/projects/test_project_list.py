"""The project list: filters with counts per value, sorting, paging, a fixed number of queries."""

import re
from datetime import date

import pytest

from portal.extensions import db
from portal.projects.models import Grant, ProjectParticipant
from tests.factories import make_organisation, make_user
from tests.projects.factories import (
    make_goal_area,
    make_plan_period,
    make_project,
    make_target_group,
)
from tests.queries import counted_statements

pytestmark = pytest.mark.both_databases


def option(page: str, select_name: str, label: str) -> str:
    """The text of the option in the named select whose label starts with `label`."""
    select = re.search(rf'<select id="filter-{select_name}"[^>]*>(.*?)</select>', page, re.S)
    found = re.search(rf"<option[^>]*>({re.escape(label)} \(\d+\))</option>", select.group(1))
    return found.group(1) if found else ""


def rows(page: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/projekt/[^"]+">([^<]+)</a></th>', page)


def test_status_filter_shows_counts_and_keeps_only_matching_projects(client, login_as):
    area = make_goal_area()
    make_project("Bokstart", goal_area=area, status="running")
    make_project("Läsombud", goal_area=area, status="running")
    make_project("Sommarboken", goal_area=area, status="finished")
    login_as("member")
    page = client.get("/projekt").get_data(as_text=True)
    assert option(page, "status", "Pågående") == "Pågående (2)"
    assert option(page, "status", "Avslutat") == "Avslutat (1)"
    page = client.get("/projekt?status=running").get_data(as_text=True)
    assert rows(page) == ["Bokstart", "Läsombud"]
    assert '<option value="running" selected>Pågående (2)</option>' in page


def test_goal_area_and_plan_period_filters(client, login_as):
    period = make_plan_period("Regional biblioteksplan 2015–2017")
    reading = make_goal_area("Litteratur och läsfrämjande", plan_period=period)
    democracy = make_goal_area("Demokrati och delaktighet", plan_period=period)
    older = make_goal_area("Gamla målet", plan_period=make_plan_period("Biblioteksplan 2012"))
    make_project("Bokstart", goal_area=reading)
    make_project("Valet på biblioteket", goal_area=democracy)
    make_project("Gammalt projekt", goal_area=older)
    login_as("member")
    page = client.get("/projekt").get_data(as_text=True)
    assert option(page, "plan_period", "Regional biblioteksplan 2015–2017") == (
        "Regional biblioteksplan 2015–2017 (2)"
    )
    page = client.get(f"/projekt?plan_period={period.id}").get_data(as_text=True)
    assert rows(page) == ["Bokstart", "Valet på biblioteket"]
    page = client.get(f"/projekt?goal_area={democracy.id}").get_data(as_text=True)
    assert rows(page) == ["Valet på biblioteket"]


def test_municipality_filter_counts_projects_once_per_municipality(client, login_as):
    kramfors = make_organisation("Kramfors bibliotek", municipality_name="Kramfors")
    bvc = make_organisation("BVC Kramfors", kind="other", municipality_name="Kramfors")
    timra = make_organisation("Timrå bibliotek", municipality_name="Timrå")
    make_project("Bokstart", participants=[kramfors, bvc])
    make_project("Läsombud", participants=[timra])
    login_as("member")
    page = client.get("/projekt").get_data(as_text=True)
    assert option(page, "municipality", "Kramfors") == "Kramfors (1)"
    page = client.get("/projekt?municipality=Timrå").get_data(as_text=True)
    assert rows(page) == ["Läsombud"]


def test_funder_filter(client, login_as):
    kulturradet = make_organisation("Kulturrådet", kind="funder")
    bokstart = make_project("Bokstart")
    make_project("Läsombud")
    db.session.add(Grant(project=bokstart, funder=kulturradet, amount_ore=600_000_00))
    db.session.commit()
    login_as("member")
    page = client.get("/projekt").get_data(as_text=True)
    assert option(page, "funder", "Kulturrådet") == "Kulturrådet (1)"
    page = client.get(f"/projekt?funder={kulturradet.id}").get_data(as_text=True)
    assert rows(page) == ["Bokstart"]


def test_target_group_filter(client, login_as):
    children = make_target_group("Barn och unga")
    bokstart = make_project("Bokstart")
    bokstart.target_groups = [children]
    db.session.commit()
    make_project("Läsombud")
    login_as("member")
    page = client.get("/projekt").get_data(as_text=True)
    assert option(page, "target_group", "Barn och unga") == "Barn och unga (1)"
    page = client.get(f"/projekt?target_group={children.id}").get_data(as_text=True)
    assert rows(page) == ["Bokstart"]


def test_year_filter_keeps_projects_running_that_year(client, login_as):
    make_project("Bokstart", starts_on=date(2015, 9, 1), ends_on=date(2017, 6, 30))
    make_project("Läsombud", starts_on=date(2017, 1, 1), ends_on=date(2018, 12, 31))
    make_project("Idé utan datum")
    login_as("member")
    page = client.get("/projekt").get_data(as_text=True)
    assert option(page, "year", "2016") == "2016 (1)"
    assert option(page, "year", "2017") == "2017 (2)"
    page = client.get("/projekt?year=2016").get_data(as_text=True)
    assert rows(page) == ["Bokstart"]


def test_sorting_by_start_shows_the_latest_first(client, login_as):
    make_project("A-projektet", starts_on=date(2015, 1, 1))
    make_project("B-projektet", starts_on=date(2017, 1, 1))
    login_as("member")
    page = client.get("/projekt?sort=start").get_data(as_text=True)
    assert rows(page) == ["B-projektet", "A-projektet"]


def test_list_is_paginated_and_the_pager_keeps_the_filters(client, login_as):
    area = make_goal_area()
    for number in range(30):
        make_project(f"Projekt {number:02d}", goal_area=area, status="running")
    login_as("member")
    page = client.get("/projekt?status=running").get_data(as_text=True)
    assert len(rows(page)) == 25
    assert "page=2" in page and "status=running" in page
    page = client.get("/projekt?status=running&page=2").get_data(as_text=True)
    assert rows(page) == [f"Projekt {number:02d}" for number in range(25, 30)]


def _add_projects(count: int, area, funder, organisation, group, lead) -> None:
    for _ in range(count):
        project = make_project(
            goal_area=area, lead=lead, starts_on=date(2015, 1, 1), ends_on=date(2017, 12, 31)
        )
        project.target_groups = [group]
        db.session.add(ProjectParticipant(project=project, organisation=organisation))
        db.session.add(Grant(project=project, funder=funder, amount_ore=100_00))
    db.session.commit()


def _statements_for_list_page(client) -> int:
    with counted_statements() as statements:
        response = client.get("/projekt?sort=start&status=running")
    assert response.status_code == 200
    return len(statements)


def test_list_runs_the_same_number_of_queries_for_10_and_60_projects(client, login_as):
    """Lead, goal area and the counts per filter come in fixed statements, not one per row."""
    seed = (
        make_goal_area(),
        make_organisation("Kulturrådet", kind="funder"),
        make_organisation("Kramfors bibliotek", municipality_name="Kramfors"),
        make_target_group("Barn och unga"),
    )
    login_as("member")
    for _ in range(10):
        _add_projects(1, *seed, make_user(role="staff"))
    with_10 = _statements_for_list_page(client)
    for _ in range(50):
        _add_projects(1, *seed, make_user(role="staff"))
    with_60 = _statements_for_list_page(client)
    assert with_10 == with_60
    assert with_60 <= 15
