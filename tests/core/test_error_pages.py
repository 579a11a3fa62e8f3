"""Swedish error pages: the person sees what went wrong in Swedish, with a way back; every
error page, the last-resort one too, carries the security headers."""

import pytest
from jinja2 import ChoiceLoader, DictLoader

from portal.accounts.models import Organisation
from portal.extensions import db, limiter
from tests.factories import make_organisation, make_user

FOOTER = "Länsbiblioteket och kommunbiblioteken i länet"
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Permissions-Policy",
)


def heading(response) -> str:
    page = response.get_data(as_text=True)
    assert '<html lang="sv">' in page
    return page.split("<h1>", 1)[1].split("</h1>", 1)[0]


def test_form_without_csrf_token_gets_swedish_400(csrf_app, client, visit):
    response = visit(client, "POST", "/logga-in", data={"email": "karin@kramfors.example"})
    assert response.status_code == 400
    assert heading(response) == "Felaktig begäran"


def test_member_on_admin_page_gets_swedish_403(client, login_as, visit):
    login_as("member")
    response = visit(client, "GET", "/admin/organisationer")
    assert response.status_code == 403
    assert heading(response) == "Du har inte behörighet"


def test_unknown_address_gets_swedish_404(client, visit):
    response = visit(client, "GET", "/nyheter/finns-inte")
    assert response.status_code == 404
    assert heading(response) == "Sidan finns inte"


def test_unknown_user_id_gets_swedish_404_for_admin(client, login_as, visit):
    login_as("admin")
    response = visit(client, "GET", "/admin/anvandare/987654")
    assert response.status_code == 404
    assert heading(response) == "Sidan finns inte"


def test_body_over_the_size_limit_gets_swedish_413(app, client, visit):
    too_big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = visit(
        client, "POST", "/glomt-losenord", data={"email": "karin@kramfors.example", "x": too_big}
    )
    assert response.status_code == 413
    assert heading(response) == "Filen eller formuläret är för stort"


@pytest.mark.own_app
def test_too_many_requests_get_swedish_429(app, client, visit):
    @app.route("/begransad")
    @limiter.limit("1 per day")
    def limited():
        return "ok"

    assert visit(client, "GET", "/begransad").status_code == 200
    response = visit(client, "GET", "/begransad")
    assert response.status_code == 429
    assert heading(response) == "För många försök"


def test_failed_logins_over_the_limit_get_the_login_page_with_swedish_429(client, visit):
    make_user(email="karin@kramfors.example")
    wrong = {"email": "karin@kramfors.example", "password": "fel-lösenord-helt-och-hållet"}
    for _ in range(10):
        visit(client, "POST", "/logga-in", data=wrong)
    response = visit(client, "POST", "/logga-in", data=wrong)
    assert response.status_code == 429
    assert heading(response) == "Logga in"
    assert "För många misslyckade inloggningar" in response.get_data(as_text=True)


@pytest.mark.own_app
def test_unexpected_error_gets_swedish_500(app, client, visit):
    @app.route("/trasig")
    def broken():
        raise RuntimeError("hemlig detalj ur stackspåret")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = visit(client, "GET", "/trasig")
    assert response.status_code == 500
    assert heading(response) == "Något gick fel"
    assert "hemlig detalj" not in response.get_data(as_text=True)


@pytest.mark.own_app
def test_route_that_raises_after_a_failed_flush_gets_the_portal_500_page_with_headers(
    app, client, login_as, visit
):
    """The error page asks the database who is logged in; before the handler rolled back, the
    failed flush made that query fail too, and Werkzeug's bare page went out."""
    make_organisation("Kramfors bibliotek")

    @app.route("/trasig-databas")
    def broken_flush():
        db.session.add(Organisation(name="Kramfors bibliotek", kind="municipal_library"))
        db.session.flush()

    app.config["PROPAGATE_EXCEPTIONS"] = False
    login_as("member")
    response = visit(client, "GET", "/trasig-databas")
    assert response.status_code == 500
    assert heading(response) == "Något gick fel"
    assert FOOTER in response.get_data(as_text=True)
    assert all(name in response.headers for name in SECURITY_HEADERS)


@pytest.mark.own_app
def test_failing_error_page_still_gives_a_swedish_500_with_the_headers(app, client, visit):
    @app.route("/trasig")
    def broken():
        raise RuntimeError("hemlig detalj ur stackspåret")

    app.jinja_env.loader = ChoiceLoader(
        [DictLoader({"errors/error.html": "{{ 1 // 0 }}"}), app.jinja_env.loader]
    )
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = visit(client, "GET", "/trasig")
    assert response.status_code == 500
    assert heading(response) == "Något gick fel"
    assert "hemlig detalj" not in response.get_data(as_text=True)
    assert all(name in response.headers for name in SECURITY_HEADERS)


def test_error_page_links_back_to_the_start_page(client, visit):
    page = visit(client, "GET", "/finns-inte").get_data(as_text=True)
    assert '<a href="/">Till startsidan</a>' in page
