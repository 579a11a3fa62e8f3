from sqlalchemy import select

from portal.accounts.models import User
from portal.accounts.passwords import verify_password
from portal.extensions import db
from tests.factories import LONG_PASSPHRASE, PASSWORD

NEW_PASSWORD = "midnattssol-över-ångermanälven"


def test_member_edits_name_title_phone_and_language(client, login_as):
    user = login_as("member", name="Karin Holm")
    response = client.post(
        "/profil",
        data={
            "name": "Karin Holm",
            "title": "Bibliotekarie",
            "phone": "0612-80 000",
            "language": "en",
        },
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.title, user.phone, user.language) == ("Bibliotekarie", "0612-80 000", "en")
    assert '<html lang="en">' in client.get("/profil").get_data(as_text=True)


def test_profile_with_bad_phone_keeps_what_was_typed(client, login_as):
    login_as("member", name="Karin Holm")
    response = client.post(
        "/profil", data={"name": "Karin Ny", "title": "Chef", "phone": "ring mig", "language": "sv"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Ange bara siffror" in page
    assert 'value="Karin Ny"' in page and 'value="ring mig"' in page


def test_changing_password_keeps_this_session_and_ends_the_others(app, client, login_as):
    user = login_as("member", name="Karin Holm")
    other = app.test_client()
    other.post("/logga-in", data={"email": user.email, "password": PASSWORD})
    response = client.post(
        "/profil/losenord",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get("/profil").status_code == 200
    assert other.get("/profil").status_code == 302


def test_changing_password_accepts_a_passphrase_of_128_characters(client, login_as):
    user = login_as("member", name="Karin Holm")
    form = {"current_password": PASSWORD, "password": LONG_PASSPHRASE, "confirm": LONG_PASSPHRASE}
    assert client.post("/profil/losenord", data=form).status_code == 302
    client.post("/logga-ut")
    login = {"email": user.email, "password": LONG_PASSPHRASE}
    assert client.post("/logga-in", data=login).status_code == 302


def test_wrong_current_password_is_shown_next_to_the_field(client, login_as):
    login_as("member")
    response = client.post(
        "/profil/losenord",
        data={
            "current_password": "inte-mitt-lösenord",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "Nuvarande lösenord stämmer inte." in response.get_data(as_text=True)


def test_new_password_containing_own_name_is_refused(client, login_as):
    user = login_as("member", name="Karin Holm")
    weak = "karinholm-är-bäst-2026"
    client.post(
        "/profil/losenord", data={"current_password": PASSWORD, "password": weak, "confirm": weak}
    )
    stored = db.session.scalar(select(User.password_hash).where(User.id == user.id))

    assert verify_password(stored, PASSWORD)


def test_stranger_is_sent_to_login_from_profile(client):
    response = client.get("/profil")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/logga-in?next=")
