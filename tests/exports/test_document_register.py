"""The document register: staff download the documents' public-record fields as CSV and XLSX,
filtered by folder, project and year."""

import hashlib
import io
from datetime import date

import pytest
from freezegun import freeze_time

from portal.core.errors import PermissionDenied
from portal.documents import folders, recycle_bin, services
from portal.documents.register import RegisterFilters, register_rows
from portal.extensions import db
from tests.documents.factories import make_document, plan_pdf
from tests.exports.test_downloads import read_csv, read_xlsx
from tests.factories import make_organisation, make_user
from tests.projects.factories import make_project

SWEDISH_HEADERS = [
    "Diarienummer",
    "Titel",
    "Dokumentets datum",
    "Uppladdat",
    "Bevarande",
    "Gallras efter (år)",
    "Organisation",
    "Projekt",
    "Mapp",
    "Gällande version",
    "Versionen uppladdad",
    "Filnamn",
    "SHA-256",
    "Dokument-id",
]


def staff_of_the_county_library():
    return make_user("staff", organisation=make_organisation("Länsbiblioteket Västernorrland"))


def make_folder(actor, name, parent=None):
    folder = folders.create_folder(actor, name, parent.id if parent else None)
    db.session.commit()
    return folder


def titles(rows) -> list[str]:
    return [row[1] for row in rows[1:]]


@pytest.mark.both_databases
def test_csv_register_has_a_line_per_document_with_its_public_record_fields(client, login_as):
    staff = staff_of_the_county_library()
    plans = make_folder(staff, "Styrdokument")
    regional = make_folder(staff, "Biblioteksplaner", parent=plans)
    project = make_project("Bokstart Västernorrland")
    data = plan_pdf("Regional biblioteksplan")
    with freeze_time("2016-03-02 23:30:00"):  # 3 March in Sweden
        plan = make_document(
            staff,
            "Regional biblioteksplan 2015–2017",
            data=data,
            filename="biblioteksplan.pdf",
            case_number="LBV 2015/3",
            document_date=date(2015, 11, 20),
            folder_id=regional.id,
        )
    make_document(
        staff,
        "Ansökan till Kulturrådet",
        case_number="KUR 2016/77",
        project_id=project.id,
        retention="cull",
        retention_years=10,
    )
    login_as("staff")
    response = client.get("/dokument/register.csv")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="dokumentregister.csv"'
    )
    rows = read_csv(response)
    assert rows[0] == SWEDISH_HEADERS
    assert len(rows) == 3
    assert rows[1] == [
        "LBV 2015/3",
        "Regional biblioteksplan 2015–2017",
        "2015-11-20",
        "2016-03-03",
        "Bevaras",
        "",
        "Länsbiblioteket Västernorrland",
        "",
        "Styrdokument › Biblioteksplaner",
        "1",
        "2016-03-03",
        "biblioteksplan.pdf",
        hashlib.sha256(data).hexdigest(),
        str(plan.id),
    ]
    assert rows[2][0:2] == ["KUR 2016/77", "Ansökan till Kulturrådet"]
    assert rows[2][4:8] == [
        "Gallras efter ett antal år",
        "10",
        "Länsbiblioteket Västernorrland",
        "Bokstart Västernorrland",
    ]


def test_xlsx_register_keeps_dates_as_dates_and_numbers_as_numbers(client, login_as):
    staff = staff_of_the_county_library()
    data = plan_pdf("Verksamhetsplan")
    make_document(
        staff,
        "Verksamhetsplan 2016",
        data=data,
        case_number="LBV 2016/1",
        document_date=date(2016, 1, 15),
        retention="cull",
        retention_years=5,
    )
    login_as("staff")
    response = client.get("/dokument/register.xlsx")
    assert response.status_code == 200
    assert "dokumentregister.xlsx" in response.headers["Content-Disposition"]
    rows = read_xlsx(response)
    assert rows[0] == SWEDISH_HEADERS
    line = rows[1]
    assert line[0:2] == ["LBV 2016/1", "Verksamhetsplan 2016"]
    assert line[2].date() == date(2016, 1, 15)
    assert line[5] == 5
    assert line[9] == 1
    assert line[12] == hashlib.sha256(data).hexdigest()


@pytest.mark.both_databases
def test_register_names_the_version_that_is_current_now(client, login_as):
    staff = staff_of_the_county_library()
    with freeze_time("2016-03-01 09:00:00"):
        document = make_document(staff, "Biblioteksplan", data=plan_pdf("Första utkastet"))
    second = plan_pdf("Andra utkastet")
    with freeze_time("2016-04-12 09:00:00"):
        services.upload_version(staff, document, services.Upload(io.BytesIO(second), "v2.pdf"))
        db.session.commit()
    login_as("staff")
    line = read_csv(client.get("/dokument/register.csv"))[1]
    assert line[3] == "2016-03-01"
    assert line[9:13] == ["2", "2016-04-12", "v2.pdf", hashlib.sha256(second).hexdigest()]


@pytest.mark.both_databases
def test_register_filtered_by_folder_includes_its_subfolders_only(client, login_as):
    staff = staff_of_the_county_library()
    plans = make_folder(staff, "Styrdokument")
    regional = make_folder(staff, "Biblioteksplaner", parent=plans)
    minutes = make_folder(staff, "Protokoll")
    make_document(staff, "Mediestrategi", folder_id=plans.id)
    make_document(staff, "Regional biblioteksplan", folder_id=regional.id)
    make_document(staff, "Protokoll 2016-02-10", folder_id=minutes.id)
    make_document(staff, "Utan mapp")
    login_as("staff")
    rows = read_csv(client.get(f"/dokument/register.csv?folder={plans.id}"))
    assert titles(rows) == ["Mediestrategi", "Regional biblioteksplan"]
    rows = read_csv(client.get(f"/dokument/register.csv?folder={regional.id}"))
    assert titles(rows) == ["Regional biblioteksplan"]


@pytest.mark.both_databases
def test_register_filtered_by_project(client, login_as):
    staff = staff_of_the_county_library()
    bokstart = make_project("Bokstart")
    sommarboken = make_project("Sommarboken")
    make_document(staff, "Bokstart: ansökan", project_id=bokstart.id)
    make_document(staff, "Sommarboken: rapport", project_id=sommarboken.id)
    make_document(staff, "Mediestrategi")
    login_as("staff")
    rows = read_xlsx(client.get(f"/dokument/register.xlsx?project={bokstart.id}"))
    assert titles(rows) == ["Bokstart: ansökan"]


@pytest.mark.both_databases
def test_register_year_is_the_documents_date_or_else_the_day_it_was_uploaded(client, login_as):
    staff = staff_of_the_county_library()
    make_document(staff, "Dated 2016, uploaded 2017", document_date=date(2016, 12, 31))
    with freeze_time("2016-12-31 23:30:00"):  # New Year's Day 2017 in Sweden
        make_document(staff, "Undated, uploaded on New Year's night")
    with freeze_time("2016-06-01 10:00:00"):
        make_document(staff, "Undated, uploaded in June 2016")
        make_document(staff, "Dated 2015, uploaded 2016", document_date=date(2015, 5, 4))
    login_as("staff")
    response = client.get("/dokument/register.csv?year=2016")
    assert 'filename="dokumentregister-2016.csv"' in response.headers["Content-Disposition"]
    assert titles(read_csv(response)) == [
        "Dated 2016, uploaded 2017",
        "Undated, uploaded in June 2016",
    ]
    rows = read_csv(client.get("/dokument/register.csv?year=2017"))
    assert titles(rows) == ["Undated, uploaded on New Year's night"]


@pytest.mark.both_databases
def test_filters_combine(client, login_as):
    staff = staff_of_the_county_library()
    plans = make_folder(staff, "Styrdokument")
    bokstart = make_project("Bokstart")
    make_document(
        staff, "Rätt", folder_id=plans.id, project_id=bokstart.id, document_date=date(2016, 2, 1)
    )
    make_document(
        staff, "Fel år", folder_id=plans.id, project_id=bokstart.id, document_date=date(2015, 2, 1)
    )
    make_document(staff, "Fel projekt", folder_id=plans.id, document_date=date(2016, 2, 1))
    login_as("staff")
    url = f"/dokument/register.csv?folder={plans.id}&project={bokstart.id}&year=2016"
    assert titles(read_csv(client.get(url))) == ["Rätt"]


@pytest.mark.both_databases
def test_documents_in_the_bin_are_not_in_the_register(client, login_as):
    staff = staff_of_the_county_library()
    make_document(staff, "Kvar")
    binned = make_document(staff, "Borttagen")
    recycle_bin.delete_document(staff, binned)
    db.session.commit()
    login_as("staff")
    assert titles(read_csv(client.get("/dokument/register.csv"))) == ["Kvar"]


def test_a_title_written_as_a_formula_is_neutralised_in_both_files(client, login_as):
    staff = staff_of_the_county_library()
    make_document(staff, '=HYPERLINK("http://evil.example","Klicka")', case_number="+46 1")
    login_as("staff")
    csv_line = read_csv(client.get("/dokument/register.csv"))[1]
    assert csv_line[0:2] == ["'+46 1", '\'=HYPERLINK("http://evil.example","Klicka")']
    xlsx_line = read_xlsx(client.get("/dokument/register.xlsx"))[1]
    assert xlsx_line[0:2] == ["'+46 1", '\'=HYPERLINK("http://evil.example","Klicka")']


def test_register_headers_are_english_when_the_person_reads_english(client, login_as):
    make_document(staff_of_the_county_library(), "Biblioteksplan")
    login_as("staff", language="en")
    rows = read_csv(client.get("/dokument/register.csv"))
    assert rows[0][:3] == ["Case number", "Title", "Document date"]
    assert rows[1][4] == "Kept"


def test_a_year_that_is_no_year_shows_the_form_again_with_a_swedish_message(client, login_as):
    login_as("staff")
    response = client.get("/dokument/register.csv?year=tjugo")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Skriv ett år mellan 1900 och 2200, som 2016." in page
    assert 'value="tjugo"' in page


def test_an_unknown_folder_is_refused_beside_the_folder(client, login_as):
    login_as("staff")
    response = client.get("/dokument/register.xlsx?folder=999999")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="folder-error"' in page
    assert "Välj bland alternativen i listan." in page


def test_the_register_page_offers_both_downloads_with_labelled_filters(client, login_as):
    staff = staff_of_the_county_library()
    plans = make_folder(staff, "Styrdokument")
    login_as("staff")
    page = client.get(f"/dokument/register?folder={plans.id}").get_data(as_text=True)
    assert '<form method="get" action="/dokument/register.csv"' in page
    assert 'formaction="/dokument/register.xlsx"' in page
    for name in ("folder", "project", "year"):
        assert f'<label for="{name}"' in page
    assert f'<option selected value="{plans.id}">Styrdokument</option>' in page


def test_staff_find_the_register_from_the_documents_page(client, login_as):
    login_as("staff")
    page = client.get("/dokument").get_data(as_text=True)
    assert 'href="/dokument/register"' in page


def test_staff_find_a_projects_documents_in_the_register_from_its_tab(client, login_as):
    project = make_project("Bokstart", slug="bokstart")
    login_as("staff")
    page = client.get("/projekt/bokstart/dokument").get_data(as_text=True)
    assert f'href="/dokument/register?project={project.id}"' in page


def test_members_see_no_link_to_the_register_and_are_refused_it(client, login_as):
    make_document(staff_of_the_county_library(), "Biblioteksplan")
    login_as("member")
    assert "/dokument/register" not in client.get("/dokument").get_data(as_text=True)
    assert client.get("/dokument/register").status_code == 403
    assert client.get("/dokument/register.csv").status_code == 403
    assert client.get("/dokument/register.xlsx").status_code == 403


def test_a_stranger_is_sent_to_log_in_before_the_register(client):
    response = client.get("/dokument/register.csv")
    assert response.status_code == 302
    assert "/logga-in" in response.headers["Location"]


def test_the_register_service_refuses_a_member_whatever_the_route_says(app):
    member = make_user("member")
    with pytest.raises(PermissionDenied):
        register_rows(member, RegisterFilters())
