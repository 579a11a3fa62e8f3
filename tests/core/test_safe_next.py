"""After login the portal goes back to the asked page, but only to one of its own paths."""

import pytest

from portal.core.forms import safe_next
from tests.factories import PASSWORD, make_user

OFF_SITE = [
    "//evil.example",
    "//evil.example/profil",
    "https://evil.example",
    "http://evil.example/logga-in",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_safe_next_refuses_anything_but_a_portal_path(target):
    assert safe_next(target, "/") == "/"


@pytest.mark.parametrize("target", ["/profil", "/admin/anvandare?roll=staff", "/"])
def test_safe_next_keeps_a_portal_path(target):
    assert safe_next(target, "/start") == target


@pytest.mark.parametrize("target", [None, ""])
def test_safe_next_without_a_target_gives_the_default(target):
    assert safe_next(target, "/start") == "/start"


def log_in(visit, client, next_target):
    make_user(email="karin@kramfors.example")
    return visit(
        client,
        "POST",
        "/logga-in",
        query_string={"next": next_target},
        data={"email": "karin@kramfors.example", "password": PASSWORD},
    )


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_never_sends_the_person_off_site(client, visit, target):
    response = log_in(visit, client, target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_returns_to_the_asked_page(client, visit):
    response = log_in(visit, client, "/profil")
    assert response.status_code == 302
    assert response.headers["Location"] == "/profil"


def test_logged_in_visit_to_login_page_never_goes_off_site(client, visit):
    log_in(visit, client, "/")
    response = visit(client, "GET", "/logga-in", query_string={"next": "//evil.example"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
