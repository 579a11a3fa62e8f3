"""Cached read models: a second view costs no page query, and every change shows at once."""

from datetime import date

import pytest
from sqlalchemy import delete, select

from portal.accounts.models import User
from portal.core.read_cache import COUNTER, cached, data_versions
from portal.extensions import db
from portal.projects.models import ProgressUpdate
from tests.factories import PASSWORD, make_organisation, make_user
from tests.pages import without_csrf_tokens
from tests.projects.factories import make_goal_area, make_project
from tests.queries import counted_statements

pytestmark = pytest.mark.both_databases

PAGES = ["/", "/projekt", "/projekt?status=running", "/projekt/bokstart"]


def counter() -> int | None:
    return db.session.scalar(select(data_versions.c.version).where(data_versions.c.name == COUNTER))


def bokstart(**fields):
    return make_project(
        "Bokstart Västernorrland", slug="bokstart", goal_area=make_goal_area(), **fields
    )


def cached_view(client, path: str) -> str:
    """The page, viewed twice: the second view must come from the cache (one query: the user,
    with the data version), so a test that then changes data proves the cache let it through."""
    first = client.get(path).get_data(as_text=True)
    with counted_statements() as statements:
        again = client.get(path).get_data(as_text=True)
    assert len(statements) == 1, (path, statements)
    assert without_csrf_tokens(again) == without_csrf_tokens(first)
    return first


def test_a_second_view_of_each_page_runs_one_query_for_the_user_and_data_version(client, login_as):
    library = make_organisation("Kramfors bibliotek", municipality_name="Kramfors")
    login_as("member", organisation=library)
    bokstart(participants=[library])
    for path in PAGES:
        cached_view(client, path)


def test_a_new_project_is_counted_in_the_list_at_once(client, login_as):
    login_as("staff")
    bokstart()
    assert "1 projekt," in cached_view(client, "/projekt")
    make_project("Läsambassadörer", goal_area=make_goal_area("Demokrati och delaktighet"))
    page = client.get("/projekt").get_data(as_text=True)
    assert "2 projekt," in page
    assert "Läsambassadörer" in page


def test_an_edited_project_shows_its_new_title_and_health_at_once(client, login_as):
    login_as("staff")
    project = bokstart()
    assert "Bokstart Västernorrland" in cached_view(client, "/projekt/bokstart")
    project.title = "Bokstart i hela länet"
    project.health = "at_risk"
    db.session.commit()
    page = client.get("/projekt/bokstart").get_data(as_text=True)
    assert "Bokstart i hela länet" in page
    assert "Risk" in page


def test_a_renamed_project_lead_shows_in_the_list_at_once(client, login_as):
    staff = login_as("staff", name="Anna Berg")
    bokstart(lead=staff)
    assert "Anna Berg" in cached_view(client, "/projekt")
    staff.name = "Anna Lund"
    db.session.commit()
    page = client.get("/projekt").get_data(as_text=True)
    assert "Anna Lund" in page
    assert "Anna Berg" not in page


def test_a_new_update_shows_on_the_dashboard_at_once(client, login_as):
    library = make_organisation("Kramfors bibliotek", municipality_name="Kramfors")
    member = login_as("member", organisation=library)
    project = bokstart(participants=[library])
    assert "Sagostund i Kramfors" not in cached_view(client, "/")
    db.session.add(
        ProgressUpdate(
            project=project, author=member, reported_on=date.today(), text="Sagostund i Kramfors"
        )
    )
    db.session.commit()
    assert "Sagostund i Kramfors" in client.get("/").get_data(as_text=True)


def test_a_new_team_member_is_listed_on_the_project_page_at_once(client, login_as):
    login_as("staff")
    project = bokstart()
    colleague = make_user("member", name="Britt Sjödin")
    assert "Britt Sjödin" not in cached_view(client, "/projekt/bokstart")
    project.team.append(colleague)
    db.session.commit()
    assert "Britt Sjödin" in client.get("/projekt/bokstart").get_data(as_text=True)


def test_signing_in_does_not_empty_the_cache(client):
    bokstart()
    user = make_user("member")
    before = counter()
    client.post("/logga-in", data={"email": user.email, "password": PASSWORD})
    db.session.refresh(user)
    assert user.last_login_at is not None
    assert counter() == before


def test_a_rolled_back_change_does_not_raise_the_counter(app):
    project = bokstart()
    before = counter()
    project.title = "Ångrat"
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert counter() == before


def test_each_reader_sees_the_list_labels_in_their_own_language(client, login_as):
    bokstart()
    login_as("member")
    assert "Pågående (1)" in cached_view(client, "/projekt")
    client.post("/logga-ut")
    login_as("member", language="en")
    assert "Running (1)" in client.get("/projekt").get_data(as_text=True)


def test_pages_are_built_without_a_counter_row_and_the_next_change_creates_it(client, login_as):
    login_as("staff")
    project = bokstart()
    db.session.execute(delete(data_versions))
    db.session.commit()
    assert counter() is None
    assert "Bokstart Västernorrland" in client.get("/projekt/bokstart").get_data(as_text=True)
    project.title = "Bokstart i hela länet"
    db.session.commit()
    assert counter() is not None
    assert "Bokstart i hela länet" in client.get("/projekt/bokstart").get_data(as_text=True)


def test_a_bulk_update_statement_also_raises_the_counter(client, login_as):
    staff = login_as("staff", name="Anna Berg")
    bokstart(lead=staff)
    assert "Anna Berg" in cached_view(client, "/projekt")
    db.session.execute(User.__table__.update().values(name="Anna Lund"))
    db.session.commit()
    assert "Anna Lund" in client.get("/projekt").get_data(as_text=True)


def test_a_request_that_saves_and_then_shows_a_page_shows_the_saved_data(app):
    project = bokstart()
    with app.test_request_context():
        assert cached("title", build=lambda: project.title) == "Bokstart Västernorrland"
        project.title = "Bokstart i hela länet"
        db.session.commit()
        assert cached("title", build=lambda: project.title) == "Bokstart i hela länet"
