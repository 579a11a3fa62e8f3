"""Downloading the project list (with its filters) and a project's economy as CSV and XLSX."""

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook

from tests.factories import make_user
from tests.projects import funding_factories
from tests.projects.factories import make_goal_area, make_project


def read_csv(response) -> list[list[str]]:
    text = response.get_data().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def read_xlsx(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_project_list_csv_keeps_the_filters_and_swedish_letters(client, login_as):
    area = make_goal_area("Litteratur och läsfrämjande")
    make_project("Bokstart i Örnsköldsvik", goal_area=area, status="running")
    make_project("Sommarboken", goal_area=area, status="finished")
    login_as("member")
    response = client.get("/projekt/lista.csv?status=running")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="projekt.csv"'
    rows = read_csv(response)
    assert rows[0][:4] == ["Titel", "Planperiod", "Målområde", "Status"]
    assert [row[0] for row in rows[1:]] == ["Bokstart i Örnsköldsvik"]
    assert rows[1][2:4] == ["Litteratur och läsfrämjande", "Pågående"]


def test_project_list_xlsx_neutralises_a_title_written_as_a_formula(client, login_as):
    make_project("=SUM(A1)", status="running")
    make_project("Läsombud", status="running")
    login_as("member")
    rows = read_xlsx(client.get("/projekt/lista.xlsx?sort=title"))
    assert rows[0][0] == "Titel"
    assert sorted(row[0] for row in rows[1:]) == ["'=SUM(A1)", "Läsombud"]


def test_project_list_page_links_to_the_downloads_with_its_filters(client, login_as):
    make_project("Bokstart", status="running")
    login_as("member")
    page = client.get("/projekt?status=running").get_data(as_text=True)
    assert 'href="/projekt/lista.csv?status=running&amp;sort=title"' in page
    assert 'href="/projekt/lista.xlsx?status=running&amp;sort=title"' in page


def test_economy_xlsx_has_grants_and_budget_lines_with_amounts_as_numbers(client, login_as):
    project = make_project("Bokstart Västernorrland", slug="bokstart")
    grant = funding_factories.make_grant(project, amount_ore=600_000_00, case_number="KUR 1")
    line = funding_factories.make_budget_line(
        project, planned_ore=400_000_00, grant=grant, description="Projektledare 50 %"
    )
    funding_factories.make_expense(line, amount_ore=33_000_00)
    login_as("member")
    response = client.get("/projekt/bokstart/ekonomi.xlsx")
    assert response.status_code == 200
    assert "ekonomi-bokstart.xlsx" in response.headers["Content-Disposition"]
    rows = read_xlsx(response)
    assert rows[0] == [
        "Typ",
        "Finansiär eller kategori",
        "Diarienummer, slag eller beskrivning",
        "Finansieras av",
        "Belopp (kr)",
        "Planerat (kr)",
        "Utbetalt (kr)",
        "Kvar (kr)",
    ]
    grant_row = next(row for row in rows if row[0] == "Bidrag")
    assert grant_row[2] == "KUR 1"
    assert grant_row[4:] == [600000, 400000, 33000, 567000]
    assert isinstance(grant_row[4], int | float | Decimal)
    line_row = next(row for row in rows if row[0] == "Budgetrad")
    assert line_row[1:4] == ["Personal", "Projektledare 50 %", grant.funder.name]
    assert line_row[5:] == [400000, 33000, 367000]


def test_economy_csv_neutralises_a_description_starting_with_a_formula(client, login_as):
    project = make_project("Läsfrämjande", slug="lasframjande")
    funding_factories.make_budget_line(project, description='=HYPERLINK("x")')
    login_as("member")
    rows = read_csv(client.get("/projekt/lasframjande/ekonomi.csv"))
    line_row = next(row for row in rows if row[0] == "Budgetrad")
    assert line_row[2] == '\'=HYPERLINK("x")'
    assert line_row[5] == "100000,00"


def test_economy_tab_links_to_its_downloads(client, login_as):
    make_project("Bokstart", slug="bokstart")
    login_as("member")
    page = client.get("/projekt/bokstart/ekonomi").get_data(as_text=True)
    assert 'href="/projekt/bokstart/ekonomi.csv"' in page
    assert 'href="/projekt/bokstart/ekonomi.xlsx"' in page


def test_a_stranger_is_sent_to_log_in_before_downloading_an_economy(client):
    make_project("Bokstart", slug="bokstart")
    response = client.get("/projekt/bokstart/ekonomi.csv")
    assert response.status_code == 302
    assert "/logga-in" in response.headers["Location"]


def test_a_member_outside_the_project_downloads_the_economy_as_on_the_tab(client, login_as):
    make_project("Bokstart", slug="bokstart", lead=make_user("staff"))
    login_as("member")
    assert client.get("/projekt/bokstart/ekonomi").status_code == 200
    assert client.get("/projekt/bokstart/ekonomi.csv").status_code == 200


def test_economy_of_an_unknown_project_is_not_found(client, login_as):
    login_as("member")
    assert client.get("/projekt/finns-inte/ekonomi.csv").status_code == 404


def test_csv_download_names_its_type_and_charset_once(client, login_as):
    make_project("Bokstart", status="running")
    login_as("member")
    response = client.get("/projekt/lista.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_xlsx_download_names_the_spreadsheet_type_without_a_charset(client, login_as):
    make_project("Bokstart", status="running")
    login_as("member")
    response = client.get("/projekt/lista.xlsx")
    assert response.headers["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def test_statistics_csv_download_names_its_charset_once(client, login_as):
    make_project("Bokstart", status="running")
    login_as("staff")
    response = client.get("/statistik/projekt-per-status.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
