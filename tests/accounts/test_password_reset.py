import re

from freezegun import freeze_time
from sqlalchemy import func, select

from portal.extensions import db
from portal.notifications.models import OutboundEmail
from tests.factories import LONG_PASSPHRASE, PASSWORD, make_user

NEW_PASSWORD = "kvällssol-över-sundsvallsbukten"
SAME_ANSWER = "Om adressen hör till ett konto i portalen"


def reset_path(app) -> str:
    row = db.session.scalar(select(OutboundEmail).order_by(OutboundEmail.id.desc()))
    link = re.search(r"\S+/aterstall-losenord/\S+", row.text_body).group(0)
    return link.removeprefix(app.config["PORTAL_BASE_URL"])


def email_count() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboundEmail))


def test_known_and_unknown_address_get_the_same_answer_but_only_known_gets_email(client):
    make_user(email="karin@kramfors.example")
    known = client.post("/glomt-losenord", data={"email": "karin@kramfors.example"})
    unknown = client.post("/glomt-losenord", data={"email": "ingen@kramfors.example"})
    assert known.status_code == unknown.status_code == 200
    assert SAME_ANSWER in known.get_data(as_text=True)
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True)
    assert email_count() == 1


def test_reset_link_sets_new_password_once(app, client):
    make_user(email="karin@kramfors.example")
    client.post("/glomt-losenord", data={"email": "karin@kramfors.example"})
    path = reset_path(app)
    response = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    login = client.post(
        "/logga-in", data={"email": "karin@kramfors.example", "password": NEW_PASSWORD}
    )
    assert login.status_code == 302
    client.post("/logga-ut")
    again = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert again.status_code == 410
    assert "ogiltig, redan använd eller har gått ut" in again.get_data(as_text=True)


def test_reset_accepts_a_passphrase_of_128_characters(app, client):
    make_user(email="karin@kramfors.example")
    client.post("/glomt-losenord", data={"email": "karin@kramfors.example"})
    form = {"password": LONG_PASSPHRASE, "confirm": LONG_PASSPHRASE}
    assert client.post(reset_path(app), data=form).status_code == 302
    login = {"email": "karin@kramfors.example", "password": LONG_PASSPHRASE}
    assert client.post("/logga-in", data=login).status_code == 302


def test_reset_link_expires_after_an_hour(app, client):
    make_user(email="karin@kramfors.example")
    with freeze_time("2026-11-30 10:00:00"):
        client.post("/glomt-losenord", data={"email": "karin@kramfors.example"})
        path = reset_path(app)
    with freeze_time("2026-11-30 10:59:00"):
        assert client.get(path).status_code == 200
    with freeze_time("2026-11-30 11:01:00"):
        assert client.get(path).status_code == 410


def test_reset_ends_other_sessions(app, client):
    make_user(email="karin@kramfors.example")
    other = app.test_client()
    other.post("/logga-in", data={"email": "karin@kramfors.example", "password": PASSWORD})
    assert other.get("/profil").status_code == 200
    client.post("/glomt-losenord", data={"email": "karin@kramfors.example"})
    client.post(reset_path(app), data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert other.get("/profil").status_code == 302


def test_deactivated_account_gets_no_reset_email(client):
    make_user(email="karin@kramfors.example", active=False)
    client.post("/glomt-losenord", data={"email": "karin@kramfors.example"})
    assert email_count() == 0


def test_tampered_reset_link_is_refused(app, client):
    make_user(email="karin@kramfors.example")
    client.post("/glomt-losenord", data={"email": "karin@kramfors.example"})
    assert client.get(reset_path(app) + "x").status_code == 410
