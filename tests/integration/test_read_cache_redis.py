"""The read cache in a real Redis (CACHE_REDIS_URL), shared by web processes, and the pages
when that Redis stops."""

import pytest
import redis

from portal import create_app
from portal.extensions import db
from tests.conftest import PortalTestClient, empty_database
from tests.factories import PASSWORD, make_organisation
from tests.pages import without_csrf_tokens
from tests.projects.factories import make_goal_area, make_project
from tests.queries import counted_statements

pytestmark = pytest.mark.both_databases


@pytest.fixture
def app(database_url, redis_server, tmp_path):
    app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "CACHE_REDIS_URL": redis_server.url,
            "WTF_CSRF_ENABLED": False,
            "INSTANCE_DIR": str(tmp_path),
            "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        },
    )
    app.test_client_class = PortalTestClient
    with app.app_context():
        db.create_all()
        yield app
        empty_database()


def second_web_process(app):
    """Another app on the same database and Redis, as a second gunicorn worker would be."""
    other = create_app("testing", dict(app.config))
    other.test_client_class = PortalTestClient
    return other


def test_a_page_built_by_one_web_process_is_served_from_redis_to_another(
    app, client, login_as, redis_server
):
    library = make_organisation("Kramfors bibliotek", municipality_name="Kramfors")
    user = login_as("member", organisation=library)
    make_project("Bokstart Västernorrland", slug="bokstart", goal_area=make_goal_area())
    first = client.get("/projekt").get_data(as_text=True)
    assert "Bokstart Västernorrland" in first
    assert redis.Redis.from_url(redis_server.url).keys("portal:*"), "nothing stored in Redis"

    other = second_web_process(app)
    other_client = other.test_client()
    other_client.post("/logga-in", data={"email": user.email, "password": PASSWORD})
    with other.app_context(), counted_statements() as statements:
        again = other_client.get("/projekt").get_data(as_text=True)
    assert without_csrf_tokens(again) == without_csrf_tokens(first)
    assert len(statements) == 1, statements


def test_pages_are_built_and_correct_while_redis_is_stopped(client, login_as, redis_server):
    login_as("staff")
    project = make_project("Bokstart Västernorrland", slug="bokstart", goal_area=make_goal_area())
    assert "Bokstart Västernorrland" in client.get("/projekt").get_data(as_text=True)
    redis_server.stop()
    project.title = "Bokstart i hela länet"
    db.session.commit()
    response = client.get("/projekt")
    assert response.status_code == 200
    assert "Bokstart i hela länet" in response.get_data(as_text=True)
    assert client.get("/projekt/bokstart").status_code == 200
    assert client.get("/").status_code == 200
