"""A NUL character in the address, a query value or a form field is refused with the Swedish
400 page before any view or database sees it."""

from sqlalchemy import select

from portal.accounts.models import User
from portal.extensions import db
from tests.projects.factories import make_project


def heading(response) -> str:
    return response.get_data(as_text=True).split("<h1>", 1)[1].split("</h1>", 1)[0]


def test_nul_in_a_project_slug_is_a_bad_request(client, login_as):
    login_as("member")
    response = client.get("/projekt/x%00y")
    assert response.status_code == 400
    assert heading(response) == "Felaktig begäran"


def test_nul_in_a_query_value_is_a_bad_request(client, login_as):
    login_as("member")
    response = client.get("/projekt?municipality=a%00b")
    assert response.status_code == 400
    assert heading(response) == "Felaktig begäran"


def test_nul_in_a_form_field_is_a_bad_request_and_nothing_is_saved(client, login_as):
    user = login_as("member", name="Karin Holm")
    form = {"name": "Karin\x00Holm", "title": "", "phone": "", "language": "sv"}
    response = client.post("/profil", data=form)
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.scalar(select(User.name).where(User.id == user.id)) == "Karin Holm"


def test_the_same_slug_without_nul_is_found(client, login_as):
    """The control for the tests above: the check refuses the NUL, not the page."""
    make_project("Bokstart", slug="bokstart")
    login_as("member")
    assert client.get("/projekt/bokstart").status_code == 200
