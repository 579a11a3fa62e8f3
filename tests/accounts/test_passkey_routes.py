"""Passkeys through the pages: registering one from the profile, logging in with it from the
login page, removing it. The browser's part is played by tests/accounts/authenticator.py; the
whole journey in Chromium is tests/browser/test_passkey_journey.py."""

import re
from datetime import timedelta

from freezegun import freeze_time
from sqlalchemy import select

from portal.accounts.models import Passkey, UserSession
from portal.core.dates import utcnow
from portal.extensions import db
from tests.accounts.authenticator import Authenticator
from tests.factories import PASSWORD, make_user


def register(client, name="Jobbdatorn", authenticator=None):
    authenticator = authenticator or Authenticator()
    options = client.post("/profil/passkeys/alternativ")
    answer = authenticator.register(options.get_data(as_text=True))
    response = client.post(
        "/profil/passkeys", data={"passkey-name": name, "passkey-credential": answer}
    )
    return response, authenticator


def passkey_login(client, authenticator, next_page=None, **answer):
    options = client.post("/logga-in/passkey/alternativ").get_data(as_text=True)
    path = "/logga-in/passkey" + (f"?next={next_page}" if next_page else "")
    return client.post(path, data={"passkey-credential": authenticator.sign_in(options, **answer)})


def test_member_registers_a_passkey_and_sees_it_on_the_profile(client, login_as):
    user = login_as("member", name="Karin Holm")
    response, _ = register(client, name="Mobilen")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/profil#passkeys")
    page = client.get("/profil").get_data(as_text=True)
    assert "Passkeyn är registrerad" in page
    assert '<th scope="row">Mobilen</th>' in page
    assert "Ta bort Mobilen" in page
    assert db.session.scalar(select(Passkey.user_id)) == user.id


def test_registration_options_are_json_for_this_site_and_never_cached(client, login_as):
    login_as("member")
    response = client.post("/profil/passkeys/alternativ")
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.json["rp"]["id"] == "localhost"


def test_configured_relying_party_is_used(app, client, login_as):
    app.config.update(WEBAUTHN_RP_ID="portal.lansbiblioteket.se")
    login_as("member")
    assert client.post("/profil/passkeys/alternativ").json["rp"]["id"] == (
        "portal.lansbiblioteket.se"
    )


def test_passkey_made_for_another_origin_is_refused(app, client, login_as):
    app.config.update(WEBAUTHN_ORIGIN="https://portal.lansbiblioteket.se")
    login_as("member")
    response, _ = register(client)
    assert response.status_code == 200
    assert "Passkeyn kunde inte registreras" in response.get_data(as_text=True)
    assert db.session.scalar(select(Passkey)) is None


def test_registration_without_a_name_keeps_the_form_open_and_says_so(client, login_as):
    login_as("member")
    response = client.post("/profil/passkeys", data={"passkey-name": "", "passkey-credential": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Fyll i fältet" in page
    form = re.search(r"<form[^>]*data-passkey-register[^>]*>", page, re.S).group(0)
    assert " hidden" not in form


def test_an_answer_without_its_options_says_try_again(client, login_as):
    login_as("member")
    answer = Authenticator().register(
        '{"challenge": "AAAA", "user": {"id": "AAAA"}, "rp": {"id": "localhost"}}'
    )
    response = client.post(
        "/profil/passkeys", data={"passkey-name": "Jobbdatorn", "passkey-credential": answer}
    )
    assert "Det tog för lång tid" in response.get_data(as_text=True)
    assert 'value="Jobbdatorn"' in response.get_data(as_text=True)


def test_passkey_login_logs_in_like_the_password(app, client, login_as):
    user = login_as("member", name="Karin Holm")
    _, authenticator = register(client)
    client.post("/logga-ut")
    assert client.get("/profil").status_code == 302

    response = passkey_login(client, authenticator)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/profil").status_code == 200
    with client.session_transaction() as session:
        assert session["login_method"] == "passkey"
    db.session.expire_all()
    live = db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    ).all()
    assert len(live) == 1
    assert user.last_login_at is not None
    assert db.session.scalar(select(Passkey.last_used_at)) is not None


def test_staff_logging_in_with_a_passkey_are_not_held_at_the_second_factor(client, login_as):
    """A passkey the authenticator unlocked is both factors: MFA_REQUIRED_ROLES is met, so a
    staff member without an authenticator app reaches the pages. By password, the passkey is
    their second factor: they are asked for it, not sent to enrol an app."""
    staff = login_as("staff")
    _, authenticator = register(client)
    client.post("/logga-ut")
    passkey_login(client, authenticator)
    assert client.get("/projekt").status_code == 200
    with client.session_transaction() as session:
        assert session["second_factor"] == "passkey"
    client.post("/logga-ut")
    response = client.post("/logga-in", data={"email": staff.email, "password": PASSWORD})
    assert response.headers["Location"] == "/logga-in/kod"


def test_passkey_login_brings_the_person_back_to_the_page_they_wanted(client, login_as):
    login_as("member")
    _, authenticator = register(client)
    client.post("/logga-ut")
    response = passkey_login(client, authenticator, next_page="/nyheter")
    assert response.headers["Location"] == "/nyheter"


def test_a_login_answer_is_taken_once(client, login_as):
    login_as("member")
    _, authenticator = register(client)
    client.post("/logga-ut")
    options = client.post("/logga-in/passkey/alternativ").get_data(as_text=True)
    answer = authenticator.sign_in(options)
    other = client.application.test_client()
    with client.session_transaction() as kept:
        copied = dict(kept)
    assert client.post("/logga-in/passkey", data={"passkey-credential": answer}).status_code == 302
    client.post("/logga-ut")
    again = client.post("/logga-in/passkey", data={"passkey-credential": answer})
    assert "Inloggningen med passkey misslyckades" in again.get_data(as_text=True)
    # The old cookie, challenge and all, replayed elsewhere: the counter has moved on.
    with other.session_transaction() as session:
        session.update(copied)
    replay = other.post("/logga-in/passkey", data={"passkey-credential": answer})
    assert replay.status_code == 200


def test_an_old_challenge_is_refused(client, login_as):
    login_as("member")
    _, authenticator = register(client)
    client.post("/logga-ut")
    options = client.post("/logga-in/passkey/alternativ").get_data(as_text=True)
    with freeze_time(utcnow() + timedelta(minutes=6)):
        response = client.post(
            "/logga-in/passkey", data={"passkey-credential": authenticator.sign_in(options)}
        )
    assert response.status_code == 200
    assert "Inloggningen med passkey misslyckades" in response.get_data(as_text=True)


def test_failed_passkey_login_keeps_the_password_form_and_shows_why(client):
    response = client.post("/logga-in/passkey", data={"passkey-credential": "{}"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Inloggningen med passkey misslyckades" in page
    assert 'name="password"' in page
    assert (
        re.search(r"<section[^>]*data-passkey-login[^>]*>", page, re.S).group(0).count("hidden")
        == 0
    )


def test_a_deactivated_person_cannot_log_in_with_their_passkey(client, login_as):
    user = login_as("member")
    _, authenticator = register(client)
    client.post("/logga-ut")
    user.active = False
    db.session.commit()
    response = passkey_login(client, authenticator)
    assert response.status_code == 200
    assert client.get("/profil").status_code == 302


def test_login_page_shows_the_passkey_button_only_to_the_script(client):
    page = client.get("/logga-in").get_data(as_text=True)
    section = re.search(r"<section[^>]*data-passkey-login[^>]*>", page, re.S).group(0)
    assert "hidden" in section
    assert "Logga in med passkey" in page
    assert '<script src="/static/js/passkeys.js" defer></script>' in page
    script = client.get("/static/js/passkeys.js")
    assert script.status_code == 200 and b"PublicKeyCredential" in script.data


def test_person_removes_their_passkey(client, login_as):
    login_as("member")
    register(client, name="Gamla mobilen")
    passkey = db.session.scalar(select(Passkey))
    response = client.post(f"/profil/passkeys/{passkey.id}/ta-bort")
    assert response.status_code == 302
    page = client.get("/profil").get_data(as_text=True)
    assert "Passkeyn är borttagen" in page
    assert "Du har inga passkeys ännu" in page
    assert db.session.scalar(select(Passkey)) is None


def test_someone_elses_passkey_stays(client, login_as):
    login_as("member")
    register(client)
    passkey = db.session.scalar(select(Passkey))
    login_as("admin", user=make_user(role="admin"))
    assert client.post(f"/profil/passkeys/{passkey.id}/ta-bort").status_code == 403
    assert db.session.scalar(select(Passkey)) is not None


def test_options_without_the_csrf_token_get_400(csrf_app, client, login_as):
    login_as("member")
    assert client.post("/profil/passkeys/alternativ").status_code == 400
    assert client.post("/logga-in/passkey/alternativ").status_code == 400


def test_a_passkey_is_the_second_step_after_the_password(client, login_as):
    user = login_as("staff")
    _, authenticator = register(client)
    client.post("/logga-ut")
    response = client.post("/logga-in", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/logga-in/kod"
    page = client.get("/logga-in/kod").get_data(as_text=True)
    assert "Använd passkey" in page
    options = client.post("/logga-in/kod/passkey/alternativ").get_data(as_text=True)
    answer = authenticator.sign_in(options)
    response = client.post("/logga-in/kod/passkey", data={"passkey-credential": answer})
    assert response.headers["Location"] == "/"
    assert client.get("/projekt").status_code == 200  # staff: not held at enrolment
    with client.session_transaction() as session:
        assert session["second_factor"] == "passkey"


def test_someone_elses_passkey_does_not_pass_the_second_step(client, login_as):
    login_as("member")
    _, strangers_authenticator = register(client)
    client.post("/logga-ut")
    owner = login_as("member")
    register(client)
    client.post("/logga-ut")
    client.post("/logga-in", data={"email": owner.email, "password": PASSWORD})
    options = client.post("/logga-in/kod/passkey/alternativ").get_data(as_text=True)
    answer = strangers_authenticator.sign_in(options)
    response = client.post("/logga-in/kod/passkey", data={"passkey-credential": answer})
    assert "Passkeyn kunde inte kontrolleras" in response.get_data(as_text=True)
    assert client.get("/profil").status_code == 302


def test_the_second_steps_passkey_options_need_the_password_first(client):
    response = client.post("/logga-in/kod/passkey/alternativ")
    assert response.headers["Location"] == "/logga-in"
