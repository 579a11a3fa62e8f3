import time

from flask import session

from portal.extensions import db
from tests.factories import PASSWORD, make_user

REFUSED = "Fel e-postadress eller lösenord."


def log_in(client, email, password=PASSWORD):
    return client.post("/logga-in", data={"email": email, "password": password})


def test_login_page_is_swedish(client):
    page = client.get("/logga-in").get_data(as_text=True)
    assert '<html lang="sv">' in page
    assert "<h1>Logga in</h1>" in page


def test_member_logs_in_with_email_in_any_case(client):
    make_user(email="karin@kramfors.example", name="Karin Holm")
    response = log_in(client, "Karin@Kramfors.Example")
    assert response.status_code == 302
    assert "Välkommen, Karin Holm" in client.get("/").get_data(as_text=True)


def test_wrong_password_and_unknown_account_get_the_same_answer(client):
    make_user(email="karin@kramfors.example")
    wrong = log_in(client, "karin@kramfors.example", "fel-lösenord-helt-och-hållet")
    unknown = log_in(client, "ingen@kramfors.example", "fel-lösenord-helt-och-hållet")
    assert wrong.status_code == unknown.status_code == 200
    assert REFUSED in wrong.get_data(as_text=True)
    assert REFUSED in unknown.get_data(as_text=True)
    assert 'value="karin@kramfors.example"' in wrong.get_data(as_text=True)


def test_page_title_says_error_when_the_form_has_errors(client):
    assert "<title>Logga in" in client.get("/logga-in").get_data(as_text=True)
    refused = log_in(client, "ingen@kramfors.example", "fel-lösenord-helt-och-hållet")
    assert "<title>Fel: Logga in" in refused.get_data(as_text=True)


def test_deactivated_account_cannot_log_in(client):
    make_user(email="karin@kramfors.example", active=False)
    response = log_in(client, "karin@kramfors.example")
    assert response.status_code == 200
    assert REFUSED in response.get_data(as_text=True)


def test_successful_logins_do_not_count_towards_the_limit(client):
    make_user(email="karin@kramfors.example")
    for _ in range(12):
        assert log_in(client, "karin@kramfors.example").status_code == 302
        client.post("/logga-ut")


def test_session_is_new_after_login(client):
    make_user(email="karin@kramfors.example")
    with client:
        client.get("/logga-in")
        session["planted"] = "från före inloggningen"
        log_in(client, "karin@kramfors.example")
        client.get("/profil")
        assert "planted" not in session
        first_sid = session["sid"]
    client.post("/logga-ut")
    with client:
        log_in(client, "karin@kramfors.example")
        client.get("/profil")
        assert session["sid"] != first_sid


def test_next_leads_to_the_asked_page_but_never_off_site(client):
    make_user(email="karin@kramfors.example")
    response = client.post(
        "/logga-in?next=/profil", data={"email": "karin@kramfors.example", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/profil"
    client.post("/logga-ut")
    response = client.post(
        "/logga-in?next=//evil.example/",
        data={"email": "karin@kramfors.example", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/"


def test_idle_session_ends_after_the_configured_minutes(app, client):
    make_user(email="karin@kramfors.example")
    log_in(client, "karin@kramfors.example")
    with client.session_transaction() as saved:
        saved["seen_at"] = int(time.time()) - app.config["SESSION_IDLE_MINUTES"] * 60 - 1
    response = client.get("/profil")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/logga-in")


def test_activity_keeps_an_idle_limited_session_alive(app, client):
    make_user(email="karin@kramfors.example")
    log_in(client, "karin@kramfors.example")
    idle = app.config["SESSION_IDLE_MINUTES"] * 60
    with client.session_transaction() as saved:
        saved["seen_at"] = int(time.time()) - idle + 90
    assert client.get("/profil").status_code == 200
    with client.session_transaction() as saved:
        assert saved["seen_at"] >= int(time.time()) - 5


def test_a_page_view_within_the_minute_does_not_send_the_session_again(client):
    make_user(email="karin@kramfors.example")
    log_in(client, "karin@kramfors.example")
    client.get("/profil")
    response = client.get("/profil")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_session_ends_after_absolute_limit_even_when_active(app, client):
    make_user(email="karin@kramfors.example")
    log_in(client, "karin@kramfors.example")
    with client.session_transaction() as saved:
        saved["login_at"] = int(time.time()) - app.config["SESSION_ABSOLUTE_HOURS"] * 3600 - 1
    assert client.get("/profil").status_code == 302


def test_session_cookie_is_httponly_and_samesite_lax(client):
    make_user(email="karin@kramfors.example")
    response = log_in(client, "karin@kramfors.example")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_deactivating_a_user_ends_their_sessions(app, client, login_as):
    person = make_user(email="karin@kramfors.example")
    other = app.test_client()
    log_in(other, "karin@kramfors.example")
    assert other.get("/profil").status_code == 200
    login_as("admin")
    response = client.post(f"/admin/anvandare/{person.id}/aktiv", data={"active": "0"})
    assert response.status_code == 302
    assert other.get("/profil").status_code == 302
    db.session.refresh(person)
    assert person.active is False


def test_logout_ends_the_session(client):
    make_user(email="karin@kramfors.example")
    log_in(client, "karin@kramfors.example")
    client.post("/logga-ut")
    assert client.get("/profil").status_code == 302
