"""The goal-area page and the participation matrix, for every logged-in user."""

from datetime import date, timedelta
from decimal import Decimal

from portal.extensions import db
from portal.projects.models import Indicator, Measurement, Milestone
from tests.factories import make_organisation
from tests.projects.factories import make_goal_area, make_project
from tests.projects.funding_factories import make_grant
from tests.queries import counted_statements


def add_indicator(project, name, unit, target, *values):
    indicator = Indicator(
        project=project,
        name=name,
        unit=unit,
        target=Decimal(target),
        measurements=[
            Measurement(measured_on=date(2016, 5, 1), value=Decimal(value), municipality="Kramfors")
            for value in values
        ],
    )
    db.session.add(indicator)
    db.session.commit()
    return indicator


def test_goal_area_page_lists_primary_projects_and_mentions_secondary_ones(client, login_as):
    login_as("member")
    reading = make_goal_area("Litteratur och läsfrämjande")
    democracy = make_goal_area("Demokrati och delaktighet", plan_period=reading.plan_period)
    make_project("Bokstart Västernorrland", goal_area=reading)
    make_project("Digital delaktighet", goal_area=democracy, secondary_goal_areas=[reading])
    make_project("Sundsvalls samtal", goal_area=democracy)
    page = client.get(f"/malomraden/{reading.id}").get_data(as_text=True)
    assert "Bokstart Västernorrland" in page
    assert "Digital delaktighet" in page
    assert "Även inom detta område" in page
    assert "Sundsvalls samtal" not in page


def test_goal_area_funding_is_summed_per_funder_and_year_of_decision(client, login_as):
    login_as("member")
    area = make_goal_area()
    kulturradet = make_organisation("Kulturrådet", kind="funder")
    region = make_organisation("Region Västernorrland", kind="funder")
    bokstart = make_project("Bokstart Västernorrland", goal_area=area)
    lasombud = make_project("Läsombud", goal_area=area)
    make_grant(bokstart, kulturradet, 600_000_00, decided_on=date(2015, 11, 20))
    make_grant(lasombud, kulturradet, 150_000_00, decided_on=date(2015, 3, 1))
    make_grant(lasombud, kulturradet, 100_000_00, decided_on=date(2016, 3, 1))
    make_grant(bokstart, region, 50_000_00, decided_on=date(2016, 1, 10))
    make_grant(make_project("Annat område"), kulturradet, 999_000_00)
    page = client.get(f"/malomraden/{area.id}").get_data(as_text=True)
    assert "750\u00a0000\u00a0kr" in page  # Kulturrådet 2015
    assert "100\u00a0000\u00a0kr" in page  # Kulturrådet 2016
    assert "50\u00a0000\u00a0kr" in page  # Region 2016
    assert "900\u00a0000\u00a0kr" in page  # total
    assert "999\u00a0000" not in page
    assert "<td>2015</td>" in page
    assert "<td>2016</td>" in page


def test_goal_area_indicators_are_summed_only_where_units_agree(client, login_as):
    login_as("member")
    area = make_goal_area()
    bokstart = make_project("Bokstart Västernorrland", goal_area=area)
    lasombud = make_project("Läsombud", goal_area=area)
    add_indicator(bokstart, "Familjer som nåtts", "familjer", "400", "120", "35")
    add_indicator(lasombud, "Familjer i Sollefteå", "familjer", "100", "15")
    add_indicator(lasombud, "Utlånade böcker", "böcker", "1000", "250.5")
    page = client.get(f"/malomraden/{area.id}").get_data(as_text=True)
    familjer = page[page.index('<th scope="row">familjer</th>') :]
    assert "500" in familjer[:200]  # target 400 + 100
    assert "170" in familjer[:200]  # 120 + 35 + 15
    assert "250,5" in page


def test_goal_area_page_summarises_health_and_milestones(client, login_as):
    login_as("member")
    area = make_goal_area()
    project = make_project("Bokstart Västernorrland", goal_area=area, health="at_risk")
    today = date.today()
    db.session.add_all(
        [
            Milestone(project=project, title="Klar", due_on=today, done_on=today),
            Milestone(project=project, title="Sen", due_on=today - timedelta(days=3)),
            Milestone(project=project, title="Kommande", due_on=today + timedelta(days=3)),
        ]
    )
    db.session.commit()
    page = client.get(f"/malomraden/{area.id}").get_data(as_text=True)
    assert "Milstolpar: 1 av 3 klara, 1 försenade" in page
    assert "Risk: 1" in page


def test_unknown_goal_area_is_404(client, login_as):
    login_as("member")
    assert client.get("/malomraden/9999").status_code == 404


def goal_area_statements(client, area, projects: int) -> int:
    funder = make_organisation(kind="funder")
    for number in range(projects):
        project = make_project(goal_area=area)
        make_grant(project, funder, decided_on=date(2015 + number % 3, 1, 1))
        add_indicator(project, "Familjer", "familjer", "10", "1", "2")
    with counted_statements() as statements:
        assert client.get(f"/malomraden/{area.id}").status_code == 200
    return len(statements)


def test_goal_area_page_runs_the_same_statements_with_few_and_many_projects(client, login_as):
    login_as("member")
    few = goal_area_statements(client, make_goal_area("Få"), 2)
    many = goal_area_statements(client, make_goal_area("Många"), 25)
    assert few == many


def test_matrix_marks_each_librarys_role_in_running_projects(client, login_as):
    login_as("member")
    kramfors = make_organisation("Kramfors bibliotek", municipality_name="Kramfors")
    solleftea = make_organisation("Sollefteå bibliotek", municipality_name="Sollefteå")
    project = make_project("Bokstart Västernorrland", participants=[kramfors, solleftea])
    project.participants[0].role = "lead_applicant"
    db.session.commit()
    make_project("Avslutat läsprojekt", status="finished", participants=[kramfors])
    page = client.get("/projekt/deltagande").get_data(as_text=True)
    assert "Bokstart Västernorrland" in page
    assert "Huvudsökande" in page
    assert "Samarbetspart" in page
    assert '<th scope="col">Kramfors</th>' in page
    assert "Avslutat läsprojekt" not in page


def test_matrix_runs_the_same_statements_with_few_and_many_projects(client, login_as):
    login_as("member")
    library = make_organisation(municipality_name="Timrå")
    make_project(participants=[library])
    with counted_statements() as few:
        client.get("/projekt/deltagande")
    for _ in range(20):
        make_project(participants=[library])
    with counted_statements() as many:
        client.get("/projekt/deltagande")
    assert len(few) == len(many)


def test_matrix_shows_municipal_libraries_only(client, login_as):
    login_as("member")
    kramfors = make_organisation("Kramfors bibliotek", municipality_name="Kramfors")
    region = make_organisation("Region Västernorrland", kind="funder")
    make_project("Bokstart Västernorrland", participants=[kramfors, region])
    page = client.get("/projekt/deltagande").get_data(as_text=True)
    assert '<th scope="col">Kramfors</th>' in page
    assert "Region Västernorrland" not in page
