"""The start page's news and documents: what the person may read, pinned news first, the
documents of their own projects, in a fixed number of SQL statements."""

import io
from datetime import timedelta

import pytest

from portal.core.dates import utcnow
from portal.documents import services as document_services
from portal.extensions import db
from portal.news.models import NewsItem
from tests.conftest import empty_database
from tests.documents.factories import make_document, plan_pdf
from tests.factories import make_organisation, make_user
from tests.projects.factories import make_goal_area, make_plan_period, make_project
from tests.queries import counted_statements

pytestmark = pytest.mark.both_databases


def news(title: str, hours_ago: int = 1, **fields) -> NewsItem:
    values = {
        "title": title,
        "body": "Länsbiblioteket berättar.",
        "status": "published",
        "publish_at": utcnow() - timedelta(hours=hours_ago),
        "audience": "everyone",
        **fields,
    }
    item = NewsItem(**values)
    db.session.add(item)
    db.session.commit()
    return item


def news_section(page: str) -> str:
    return page.split('id="news-heading"')[1].split("</section>")[0]


def documents_section(page: str) -> str:
    return page.split('id="documents-heading"')[1].split("</section>")[0]


def test_start_page_shows_pinned_news_first_then_the_newest(client, login_as):
    news("Littfest i Umeå", hours_ago=5)
    news("Bokstart till Västernorrland", hours_ago=48, pinned=True)
    news("Nytt i mediekatalogen", hours_ago=1)
    login_as("member")
    section = news_section(client.get("/").get_data(as_text=True))
    assert section.index("Bokstart till Västernorrland") < section.index("Nytt i mediekatalogen")
    assert section.index("Nytt i mediekatalogen") < section.index("Littfest i Umeå")
    assert "(Fäst)" in section


def test_start_page_leaves_out_news_the_person_may_not_read(client, login_as):
    ange = make_organisation("Ånge bibliotek")
    timra = make_organisation("Timrå bibliotek")
    news("Läsfrämjande i Ånge", audience="organisations", organisations=[ange])
    news("Bara för Timrå", audience="organisations", organisations=[timra])
    news("Utkast om Bokstart", status="draft", publish_at=None)
    news("Kommer i morgon", status="scheduled", publish_at=utcnow() + timedelta(days=1))
    login_as("member", organisation=ange)
    section = news_section(client.get("/").get_data(as_text=True))
    assert "Läsfrämjande i Ånge" in section
    for hidden in ("Bara för Timrå", "Utkast om Bokstart", "Kommer i morgon"):
        assert hidden not in section


def test_news_for_a_project_reach_its_team_lead_and_libraries_only(client, login_as):
    """Each way of belonging to a project is read apart (portal/projects/dashboard.py::
    first_rows): the team member, the lead and the library taking part each see the item."""
    kramfors, ange = make_organisation("Kramfors bibliotek"), make_organisation("Ånge bibliotek")
    lead, member = make_user(), make_user()  # members: staff read every item
    project = make_project("Bokstart", lead=lead, team=[member], participants=[kramfors])
    news("Bokstart: nytt material", audience="project", audience_project_id=project.id)
    news("Sagostund i Timrå", audience="project", audience_project_id=make_project().id)
    for reader in (lead, member, make_user(organisation=kramfors)):
        assert_start_page_news(client, login_as, reader, ["Bokstart: nytt material"])
    for outsider in (make_user(organisation=ange), make_user()):
        assert_start_page_news(client, login_as, outsider, [])


def assert_start_page_news(client, login_as, reader, titles: list[str]) -> None:
    login_as(user=reader)
    section = news_section(client.get("/").get_data(as_text=True))
    for title in ("Bokstart: nytt material", "Sagostund i Timrå"):
        assert (title in section) == (title in titles), (reader.id, title)


def test_news_for_one_library_stays_off_another_librarys_cached_start_page(client, login_as):
    ange = make_organisation("Ånge bibliotek")
    timra = make_organisation("Timrå bibliotek")
    news("Läsfrämjande i Ånge", audience="organisations", organisations=[ange])
    login_as("member", organisation=ange)
    assert "Läsfrämjande i Ånge" in client.get("/").get_data(as_text=True)
    client.post("/logga-ut")
    login_as("member", organisation=timra)
    assert "Läsfrämjande i Ånge" not in client.get("/").get_data(as_text=True)


def test_start_page_shows_documents_of_my_projects_only(client, login_as):
    kramfors = make_organisation("Kramfors bibliotek")
    me = login_as("member", organisation=kramfors)
    staff = make_user(role="staff")
    mine = make_project("Bokstart Västernorrland", participants=[kramfors])
    other = make_project("Sundsvalls sagostund")
    make_document(staff, "Projektplan Bokstart", project_id=mine.id, visibility="project")
    make_document(staff, "Projektplan sagostund", project_id=other.id)
    make_document(staff, "Regional biblioteksplan")
    make_document(me, "Mina anteckningar", project_id=mine.id)
    section = documents_section(client.get("/").get_data(as_text=True))
    assert "Projektplan Bokstart" in section
    assert "Mina anteckningar" in section
    assert "Bokstart Västernorrland" in section
    assert "Projektplan sagostund" not in section
    assert "Regional biblioteksplan" not in section


def test_start_page_leaves_out_a_project_document_aimed_at_other_libraries(client, login_as):
    kramfors = make_organisation("Kramfors bibliotek")
    timra = make_organisation("Timrå bibliotek")
    login_as("member", organisation=kramfors)
    project = make_project("Bokstart Västernorrland", participants=[kramfors, timra])
    make_document(
        make_user(role="staff"),
        "Avtal med Timrå",
        project_id=project.id,
        visibility="organisations",
        organisation_ids=[timra.id],
    )
    section = documents_section(client.get("/").get_data(as_text=True))
    assert "Avtal med Timrå" not in section
    assert "Inga dokument i dina projekt ännu." in section


def test_a_document_with_a_new_version_is_shown_first_as_changed(client, login_as):
    me = login_as("staff")
    project = make_project("Bokstart Västernorrland", lead=me)
    changed = make_document(me, "Budget Bokstart", project_id=project.id)
    make_document(me, "Projektplan Bokstart", project_id=project.id)
    changed.created_at = utcnow() - timedelta(days=3)
    changed.updated_at = changed.created_at
    db.session.commit()
    document_services.upload_version(
        me, changed, document_services.Upload(io.BytesIO(plan_pdf("Ny budget")), "budget.pdf")
    )
    db.session.commit()
    section = documents_section(client.get("/").get_data(as_text=True))
    assert section.index("Budget Bokstart") < section.index("Projektplan Bokstart")
    first, second = section.split("<li>")[1:3]
    assert "ändrat" in first
    assert "tillagt" in second


def start_page_statements(client, login_as, rows: int) -> int:
    kramfors = make_organisation("Kramfors bibliotek")
    login_as("member", organisation=kramfors)
    staff = make_user(role="staff")
    area = make_goal_area(plan_period=make_plan_period(current=True))
    for number in range(rows):
        project = make_project(f"Projekt {number}", goal_area=area, participants=[kramfors])
        news(f"Nyhet {number}", pinned=number % 2 == 0)
        make_document(staff, f"Dokument {number}", project_id=project.id, visibility="project")
    with counted_statements() as statements:
        response = client.get("/")
    assert response.status_code == 200
    assert f"Dokument {rows - 1}<" in documents_section(response.get_data(as_text=True))
    return len(statements)


def test_start_page_runs_as_many_statements_with_two_news_and_documents_as_with_thirty(
    app, client, login_as
):
    few = start_page_statements(client, login_as, 2)
    empty_database()
    many = start_page_statements(client, login_as, 30)
    assert few == many
    assert few <= 10
