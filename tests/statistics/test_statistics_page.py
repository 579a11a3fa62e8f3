"""The statistics page: money per goal area, year, funder and municipality, projects per target
group and status, indicators per goal area, each as a chart and a table; filters; downloads."""

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from portal.extensions import db
from portal.projects.models import Grant, Indicator, Measurement, Project, ProjectParticipant
from tests.factories import make_organisation
from tests.projects import funding_factories
from tests.projects.factories import (
    make_goal_area,
    make_plan_period,
    make_project,
    make_target_group,
)
from tests.queries import counted_statements

pytestmark = pytest.mark.both_databases


def table(page: str, slug: str) -> list[list[str]]:
    """The rows of one statistics table as the text of their cells."""
    found = re.search(rf'<caption id="caption-{slug}">.*?<tbody>(.*?)</tbody>', page, re.S)
    assert found, f"no table {slug}"
    return [
        [re.sub(r"<[^>]+>", "", cell).replace("\u00a0", " ").strip() for cell in cells]
        for cells in (
            re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            for row in re.findall(r"<tr>(.*?)</tr>", found.group(1), re.S)
        )
    ]


def summary(page: str, slug: str) -> str:
    text = re.search(rf'<p id="summary-{slug}">(.*?)</p>', page, re.S).group(1)
    return text.replace("\u00a0", " ")


@pytest.fixture
def county(app):
    """Two goal areas, two funders, libraries in Kramfors and Timrå, three funded projects."""
    period = make_plan_period("Regional biblioteksplan 2015–2017")
    reading = make_goal_area("Litteratur och läsfrämjande", plan_period=period)
    democracy = make_goal_area("Demokrati och delaktighet", plan_period=period)
    kulturradet = make_organisation("Kulturrådet", kind="funder")
    region = make_organisation("Region Västernorrland", kind="funder")
    kramfors = make_organisation("Kramfors bibliotek", municipality_name="Kramfors")
    timra = make_organisation("Timrå bibliotek", municipality_name="Timrå")
    children = make_target_group("Barn 0–5 år")
    bokstart = make_project(
        "Bokstart",
        goal_area=reading,
        participants=[kramfors, timra],
        starts_on=date(2016, 1, 1),
        ends_on=date(2016, 12, 31),
    )
    bokstart.target_groups = [children]
    db.session.commit()
    funding_factories.make_grant(
        bokstart, funder=kulturradet, amount_ore=1_000_000_00, decided_on=date(2016, 2, 1)
    )
    funding_factories.make_grant(
        bokstart, funder=region, amount_ore=200_000_00, decided_on=date(2015, 11, 1)
    )
    valet = make_project(
        "Valet på biblioteket",
        goal_area=democracy,
        participants=[kramfors],
        status="finished",
        starts_on=date(2014, 1, 1),
        ends_on=date(2014, 12, 31),
    )
    funding_factories.make_grant(
        valet, funder=region, amount_ore=300_000_00, decided_on=date(2014, 1, 10)
    )
    indicator = Indicator(project=bokstart, name="Familjer", unit="familjer", target=400)
    indicator.measurements = [
        Measurement(measured_on=date(2016, 3, 1), value=Decimal(120)),
        Measurement(measured_on=date(2017, 3, 1), value=Decimal(30)),
    ]
    db.session.add(indicator)
    db.session.commit()
    return {"period": period, "reading": reading}


def test_staff_see_money_per_goal_area_funder_and_year(client, login_as, county):
    login_as("staff")
    page = client.get("/statistik").get_data(as_text=True)
    assert table(page, "finansiering-per-malomrade") == [
        ["Demokrati och delaktighet", "300 000 kr"],
        ["Litteratur och läsfrämjande", "1 200 000 kr"],
    ]
    assert table(page, "finansiering-per-finansiar") == [
        ["Kulturrådet", "1 000 000 kr"],
        ["Region Västernorrland", "500 000 kr"],
    ]
    assert table(page, "finansiering-per-ar") == [
        ["2014", "300 000 kr"],
        ["2015", "200 000 kr"],
        ["2016", "1 000 000 kr"],
    ]
    assert ["Litteratur och läsfrämjande", "2015", "200 000 kr"] in table(
        page, "finansiering-per-malomrade-och-ar"
    )


def test_a_projects_money_is_shared_equally_among_its_municipalities(client, login_as, county):
    login_as("staff")
    page = client.get("/statistik").get_data(as_text=True)
    assert table(page, "finansiering-per-kommun") == [
        ["Kramfors", "900 000 kr"],
        ["Timrå", "600 000 kr"],
    ]


def test_projects_per_target_group_and_status_and_indicators(client, login_as, county):
    login_as("staff")
    page = client.get("/statistik").get_data(as_text=True)
    assert table(page, "projekt-per-malgrupp") == [["Barn 0–5 år", "1"]]
    assert table(page, "projekt-per-status") == [["Pågående", "1"], ["Avslutat", "1"]]
    assert table(page, "indikatorer-per-malomrade") == [
        ["Litteratur och läsfrämjande", "familjer", "1", "400", "150"]
    ]


def test_each_chart_is_an_image_named_by_its_text_summary(client, login_as, county):
    login_as("staff")
    page = client.get("/statistik").get_data(as_text=True)
    assert summary(page, "finansiering-per-malomrade") == (
        "Mest pengar gick till Litteratur och läsfrämjande: 1 200 000 kr. Totalt 1 500 000 kr."
    )
    svg = re.search(r'<svg[^>]*id="chart-finansiering-per-malomrade"[^>]*>', page).group(0)
    assert 'role="img"' in svg
    assert (
        'aria-labelledby="chart-finansiering-per-malomrade-title '
        'summary-finansiering-per-malomrade"' in svg
    )
    assert summary(page, "projekt-per-status").startswith(
        "Flest projekt har status Pågående: 1 projekt."
    )


def test_year_filter_keeps_the_grants_decided_and_projects_running_that_year(
    client, login_as, county
):
    login_as("staff")
    page = client.get("/statistik?year=2016").get_data(as_text=True)
    assert table(page, "finansiering-per-finansiar") == [["Kulturrådet", "1 000 000 kr"]]
    assert table(page, "projekt-per-status") == [["Pågående", "1"]]
    assert table(page, "indikatorer-per-malomrade")[0][-1] == "120"
    assert '<option value="2016" selected>2016</option>' in page


def test_plan_period_filter_leaves_out_other_periods(client, login_as, county):
    older = make_goal_area("Läsfrämjande", plan_period=make_plan_period("Biblioteksplan 2012"))
    gammalt = make_project("Gammalt projekt", goal_area=older)
    funding_factories.make_grant(gammalt, amount_ore=50_000_00, decided_on=date(2013, 1, 1))
    login_as("staff")
    page = client.get(f"/statistik?plan_period={county['period'].id}").get_data(as_text=True)
    names = [row[0] for row in table(page, "finansiering-per-malomrade")]
    assert "Läsfrämjande" not in names
    assert "Litteratur och läsfrämjande" in names
    page = client.get("/statistik").get_data(as_text=True)
    assert "Läsfrämjande" in [row[0] for row in table(page, "finansiering-per-malomrade")]


def test_an_empty_selection_says_there_is_nothing_to_show(client, login_as, county):
    login_as("staff")
    page = client.get("/statistik?year=1999").get_data(as_text=True)
    assert summary(page, "finansiering-per-kommun") == (
        "Det finns inga uppgifter för det här urvalet."
    )
    assert 'id="chart-finansiering-per-kommun"' not in page


def test_a_member_is_refused_and_a_stranger_sent_to_log_in(client, login_as):
    assert "/logga-in" in client.get("/statistik").headers["Location"]
    assert "/logga-in" in client.get("/statistik/projekt-per-status.csv").headers["Location"]
    login_as("member")
    assert client.get("/statistik").status_code == 403
    assert client.get("/statistik/projekt-per-status.csv").status_code == 403


def test_nav_shows_statistics_to_staff_and_not_to_members(client, login_as):
    login_as("member")
    assert 'href="/statistik"' not in client.get("/projekt").get_data(as_text=True)
    client.post("/logga-ut")
    login_as("admin")
    assert 'href="/statistik"' in client.get("/projekt").get_data(as_text=True)


def test_a_table_downloads_as_csv_with_the_year_filter(client, login_as, county):
    login_as("staff")
    page = client.get("/statistik?year=2015").get_data(as_text=True)
    assert 'href="/statistik/finansiering-per-finansiar.csv?year=2015"' in page
    response = client.get("/statistik/finansiering-per-finansiar.csv?year=2015")
    assert "finansiering-per-finansiar-2015.csv" in response.headers["Content-Disposition"]
    text = response.get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows == [["Finansiär", "Belopp (kr)"], ["Region Västernorrland", "200000,00"]]


def test_a_table_downloads_as_xlsx_with_amounts_as_numbers(client, login_as, county):
    login_as("admin")
    response = client.get("/statistik/finansiering-per-kommun.xlsx")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    assert [cell.value for cell in sheet[1]] == ["Kommun", "Belopp (kr)"]
    assert sheet["A2"].value == "Kramfors"
    assert sheet["B2"].value == 900000
    assert sheet["A3"].value == "Timrå"


def test_status_table_downloads_with_swedish_status_names(client, login_as, county):
    login_as("staff")
    text = client.get("/statistik/projekt-per-status.csv").get_data().decode("utf-8-sig")
    assert text.split("\r\n")[:3] == ["Status;Antal projekt", "Pågående;1", "Avslutat;1"]


def test_an_unknown_table_is_not_found(client, login_as):
    login_as("staff")
    assert client.get("/statistik/hemligt.csv").status_code == 404


def add_projects(count: int, area, funder, library, group, offset: int) -> None:
    for n in range(offset, offset + count):
        project = Project(
            title=f"Projekt {n:04d}",
            slug=f"statistik-{n}",
            goal_area=area,
            status="running" if n % 2 else "planned",
            starts_on=date(2016, 1, 1),
        )
        project.participants = [ProjectParticipant(organisation=library, role="partner")]
        project.grants = [Grant(funder=funder, amount_ore=100_000_00, decided_on=date(2016, 1, 1))]
        project.target_groups = [group]
        project.indicators = [
            Indicator(
                name="Besök",
                unit="besök",
                target=10,
                measurements=[Measurement(measured_on=date(2016, 5, 1), value=Decimal(4))],
            )
        ]
        db.session.add(project)
    db.session.commit()


@pytest.mark.parametrize("path", ["/statistik", "/statistik?year=2016&plan_period=1"])
def test_page_runs_the_same_statements_with_10_projects_and_with_500(client, login_as, path):
    area = make_goal_area()
    funder = make_organisation("Kulturrådet", kind="funder")
    library = make_organisation("Kramfors bibliotek", municipality_name="Kramfors")
    group = make_target_group("Barn")
    login_as("staff")
    add_projects(10, area, funder, library, group, offset=0)
    with counted_statements() as few:
        assert client.get(path).status_code == 200
    add_projects(490, area, funder, library, group, offset=10)
    with counted_statements() as many:
        page = client.get(path)
    assert page.status_code == 200
    assert len(few) == len(many) <= 14, (len(few), len(many))
    if "plan_period" not in path:
        assert table(page.get_data(as_text=True), "finansiering-per-kommun") == [
            ["Kramfors", "50 000 000 kr"]
        ]
