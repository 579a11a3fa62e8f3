"""The second factor: enrolling an authenticator app from the profile, the login's second step
with its codes and recovery codes, the roles held at enrolment, and an admin's removal."""

import re

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from portal.accounts.mfa import services as mfa_services
from portal.accounts.mfa.models import RecoveryCode, TotpFactor
from portal.accounts.models import Passkey, UserSession
from portal.core.audit import AuditEntry
from portal.extensions import db
from portal.notifications.models import OutboundEmail
from tests.factories import (
    PASSWORD,
    give_totp,
    log_in_through_form,
    make_invitation_token,
    make_organisation,
    make_user,
    totp_code,
)

NOW = "2026-12-07 12:00:10"
WRONG_CODE = "Koden stämmer inte eller är redan använd."
ENROLMENT = "/profil/tvastegsverifiering"


def log_in_with_password(client, user):
    return client.post("/logga-in", data={"email": user.email, "password": PASSWORD})


def enter_code(client, code):
    return client.post("/logga-in/kod", data={"code": code})


def is_logged_in(client) -> bool:
    return client.get("/profil").status_code == 200


def shown_secret(page: str) -> str:
    return re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")


def shown_recovery_codes(page: str) -> list[str]:
    return re.findall(r"<li><code>([a-z0-9-]+)</code></li>", page)


def enrol(client) -> tuple[str, str]:
    """Start the app from the profile and confirm it; returns the secret and the page."""
    client.post(f"{ENROLMENT}/ny-nyckel")
    secret = shown_secret(client.get(ENROLMENT).get_data(as_text=True))
    page = client.post(f"{ENROLMENT}/bekrafta", data={"code": totp_code(secret)})
    return secret, page.get_data(as_text=True)


# Enrolment from the profile.


def test_profile_shows_a_qr_code_and_the_secret_made_by_the_portal(client, login_as):
    login_as("member")
    client.post(f"{ENROLMENT}/ny-nyckel")
    page = client.get(ENROLMENT).get_data(as_text=True)
    assert "<svg" in page and "QR-kod för appen" in page
    assert len(shown_secret(page)) == 32
    assert "https://" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_wrong_code_at_enrolment_is_refused_beside_the_field(client, login_as):
    user = login_as("member")
    client.post(f"{ENROLMENT}/ny-nyckel")
    response = client.post(f"{ENROLMENT}/bekrafta", data={"code": "000000"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'id="code-error"><span>Koden stämmer inte\. Skriv de sex siffrorna', page)
    assert 'value="000000"' in page
    assert db.session.get(TotpFactor, user.id).confirmed_at is None


def test_right_code_turns_the_app_on_and_shows_ten_recovery_codes_once(client, login_as):
    user = login_as("member")
    _, page = enrol(client)
    assert "Tvåstegsverifiering är på." in page
    codes = shown_recovery_codes(page)
    assert len(set(codes)) == 10
    db.session.expire_all()
    assert db.session.get(TotpFactor, user.id).confirmed_at is not None
    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)
    assert not shown_recovery_codes(client.get(ENROLMENT).get_data(as_text=True))


def test_member_who_enrolled_is_asked_for_the_code_at_next_login(client, login_as):
    user = login_as("member")
    secret, _ = enrol(client)
    client.post("/logga-ut")
    assert log_in_with_password(client, user).headers["Location"] == "/logga-in/kod"
    assert not is_logged_in(client)
    # The code that confirmed the app was this step's; the next step's is the app's next code.
    assert enter_code(client, totp_code(secret, 1)).status_code == 302
    assert is_logged_in(client)


# The login's second step.


def test_right_password_alone_opens_no_page_until_the_code(client):
    user = give_totp(make_user(role="staff"))
    assert log_in_with_password(client, user).headers["Location"] == "/logga-in/kod"
    for path in ("/", "/profil", "/projekt", "/dokument", "/nyheter"):
        assert client.get(path).headers["Location"].startswith("/logga-in?next=")
    assert "Skriv koden från appen" in client.get("/logga-in/kod").get_data(as_text=True)


def test_login_with_the_apps_code(client):
    user = give_totp(make_user(role="admin", name="Anna Admin"))
    log_in_with_password(client, user)
    response = enter_code(client, totp_code())
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Välkommen, Anna Admin" in client.get("/").get_data(as_text=True)
    assert client.get("/admin/anvandare").status_code == 200


def test_login_goes_on_to_the_page_asked_for(client):
    user = give_totp(make_user(role="staff"))
    client.post("/logga-in?next=/dokument", data={"email": user.email, "password": PASSWORD})
    assert enter_code(client, totp_code()).headers["Location"] == "/dokument"


def test_wrong_code_is_refused_beside_the_field(client):
    user = give_totp(make_user(role="staff"))
    log_in_with_password(client, user)
    response = enter_code(client, "123456" if totp_code() != "123456" else "654321")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'id="code-error"><span>' + WRONG_CODE, page)
    assert not is_logged_in(client)


def test_a_code_is_never_accepted_twice(app, client):
    user = give_totp(make_user(role="staff"))
    with freeze_time(NOW):
        log_in_through_form(client, user, code=totp_code())
        assert is_logged_in(client)
        client.post("/logga-ut")
        log_in_with_password(client, user)
        replayed = enter_code(client, totp_code())
        assert WRONG_CODE in replayed.get_data(as_text=True)
        assert not is_logged_in(client)


@pytest.mark.parametrize("steps", [-1, 1])
def test_a_code_one_step_before_or_after_is_accepted(client, steps):
    user = give_totp(make_user(role="staff"))
    with freeze_time(NOW):
        log_in_with_password(client, user)
        assert enter_code(client, totp_code(steps_from_now=steps)).status_code == 302
        assert is_logged_in(client)


@pytest.mark.parametrize("steps", [-2, 2])
def test_a_code_two_steps_before_or_after_is_refused(client, steps):
    user = give_totp(make_user(role="staff"))
    with freeze_time(NOW):
        log_in_with_password(client, user)
        response = enter_code(client, totp_code(steps_from_now=steps))
        assert WRONG_CODE in response.get_data(as_text=True)
        assert not is_logged_in(client)


def test_an_older_code_than_the_last_used_is_refused(client):
    user = give_totp(make_user(role="staff"))
    with freeze_time(NOW):
        log_in_through_form(client, user, code=totp_code(steps_from_now=1))
        client.post("/logga-ut")
        log_in_with_password(client, user)
        assert WRONG_CODE in enter_code(client, totp_code()).get_data(as_text=True)


def test_half_done_login_expires_after_five_minutes(client):
    user = give_totp(make_user(role="staff"))
    with freeze_time(NOW) as clock:
        log_in_with_password(client, user)
        clock.tick(6 * 60)
        response = enter_code(client, totp_code())
        assert response.headers["Location"] == "/logga-in"
        assert not is_logged_in(client)


def test_ten_wrong_codes_stop_the_second_step_with_429(client):
    user = give_totp(make_user(role="staff"))
    log_in_with_password(client, user)
    wrong = "123456" if totp_code() != "123456" else "654321"
    for _ in range(10):
        assert enter_code(client, wrong).status_code == 200
    response = enter_code(client, totp_code())
    assert response.status_code == 429
    assert not is_logged_in(client)


def test_cancel_leaves_the_second_step(client):
    user = give_totp(make_user(role="staff"))
    log_in_with_password(client, user)
    assert client.post("/logga-in/avbryt").headers["Location"] == "/logga-in"
    assert client.get("/logga-in/kod").headers["Location"] == "/logga-in"


def test_second_step_without_a_password_first_goes_to_the_login(client):
    assert client.get("/logga-in/kod").headers["Location"] == "/logga-in"
    assert enter_code(client, totp_code()).headers["Location"] == "/logga-in"


# Recovery codes.


def test_recovery_code_logs_in_once(client, login_as):
    user = login_as("staff")
    _, page = enrol(client)
    code = shown_recovery_codes(page)[3]
    client.post("/logga-ut")
    log_in_with_password(client, user)
    response = enter_code(client, code.upper().replace("-", " "))
    assert response.status_code == 302
    assert "Du har 9 kvar" in client.get("/").get_data(as_text=True)
    client.post("/logga-ut")
    log_in_with_password(client, user)
    assert WRONG_CODE in enter_code(client, code).get_data(as_text=True)
    assert not is_logged_in(client)


def test_renewed_recovery_codes_replace_the_old_ones(client, login_as):
    user = login_as("member")
    _, page = enrol(client)
    old = shown_recovery_codes(page)[0]
    renewed = client.post(f"{ENROLMENT}/reservkoder").get_data(as_text=True)
    new = shown_recovery_codes(renewed)
    assert len(new) == 10 and old not in new
    client.post("/logga-ut")
    log_in_with_password(client, user)
    assert WRONG_CODE in enter_code(client, old).get_data(as_text=True)
    assert enter_code(client, new[0]).status_code == 302


def test_recovery_codes_cannot_be_made_without_an_app(client, login_as):
    login_as("member")
    response = client.post(f"{ENROLMENT}/reservkoder")
    assert response.status_code == 200
    assert "Slå på tvåstegsverifiering med en app först." in response.get_data(as_text=True)
    assert db.session.scalar(select(RecoveryCode)) is None


# Roles that must have a second factor.


@pytest.mark.parametrize("role", ["admin", "staff"])
def test_admin_and_staff_without_a_second_factor_reach_only_enrolment(client, role):
    user = make_user(role=role)
    assert log_in_with_password(client, user).headers["Location"] == ENROLMENT
    for path in ("/", "/profil", "/admin/anvandare", "/projekt", "/dokument", "/statistik"):
        assert client.get(path).headers["Location"] == ENROLMENT, path
    assert (
        client.post("/profil", data={"name": "Ny", "language": "sv"}).headers["Location"]
        == ENROLMENT
    )
    page = client.get(ENROLMENT).get_data(as_text=True)
    assert "Din roll kräver tvåstegsverifiering." in page


def test_held_staff_reaches_the_portal_once_enrolled(client):
    user = make_user(role="staff")
    log_in_with_password(client, user)
    _, page = enrol(client)
    assert len(shown_recovery_codes(page)) == 10
    assert client.get("/").status_code == 200


def test_held_admin_can_log_out(client):
    log_in_with_password(client, make_user(role="admin"))
    assert client.post("/logga-ut").headers["Location"] == "/logga-in"
    assert client.get("/").headers["Location"].startswith("/logga-in")


def test_invited_staff_is_held_at_enrolment_once_the_password_is_set(client):
    token = make_invitation_token("ny.personal@lansbiblioteket.example", "Nils Berg", "staff")
    client.post(f"/inbjudan/{token}", data={"password": PASSWORD, "confirm": PASSWORD})
    assert client.get("/profil").headers["Location"] == ENROLMENT
    assert "Din roll kräver tvåstegsverifiering." in client.get(ENROLMENT).get_data(as_text=True)


def test_member_without_a_second_factor_is_not_held(client):
    user = make_user(role="member")
    assert log_in_with_password(client, user).headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_required_roles_come_from_the_configuration(app, client):
    app.config["MFA_REQUIRED_ROLES"] = ("admin",)
    log_in_with_password(client, make_user(role="staff"))
    assert client.get("/").status_code == 200


def test_member_made_staff_is_held_at_the_next_page(client, login_as):
    user = make_user(role="member")
    log_in_with_password(client, user)
    assert client.get("/").status_code == 200
    user.role = "staff"
    db.session.commit()
    assert client.get("/").headers["Location"] == ENROLMENT


# An admin removes a lost second factor.


def test_admin_removes_a_lost_second_factor(app, client, login_as):
    person = give_totp(make_user(role="staff", name="Karin Holm", email="karin@kramfors.example"))
    other = app.test_client()
    log_in_through_form(other, person)
    assert other.get("/").status_code == 200
    admin = login_as("admin", name="Anna Admin")
    response = client.post(f"/admin/anvandare/{person.id}/tvastegsverifiering/ta-bort")
    assert response.status_code == 302
    assert "Tvåstegsverifieringen för Karin Holm är borttagen" in client.get(
        response.headers["Location"]
    ).get_data(as_text=True)
    assert db.session.get(TotpFactor, person.id) is None
    assert db.session.scalar(select(RecoveryCode)) is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "remove_mfa"))
    assert (entry.actor_id, entry.entity, entry.entity_id) == (admin.id, "user", person.id)
    assert other.get("/").headers["Location"].startswith("/logga-in")
    live = db.session.scalars(
        select(UserSession).where(UserSession.user_id == person.id, UserSession.ended_at.is_(None))
    ).all()
    assert live == []
    email = db.session.scalar(
        select(OutboundEmail).where(OutboundEmail.template == "second_factor_removed")
    )
    assert email.recipient == "karin@kramfors.example"
    assert "Anna Admin har tagit bort tvåstegsverifieringen" in email.text_body


def test_after_removal_the_person_logs_in_with_the_password_and_enrols_again(client, login_as):
    person = give_totp(make_user(role="staff"))
    login_as("admin")
    client.post(f"/admin/anvandare/{person.id}/tvastegsverifiering/ta-bort")
    client.post("/logga-ut")
    assert log_in_with_password(client, person).headers["Location"] == ENROLMENT


def test_admin_page_shows_the_second_factor_and_the_removal_button(client, login_as):
    person = give_totp(make_user())
    login_as("admin")
    page = client.get(f"/admin/anvandare/{person.id}").get_data(as_text=True)
    assert "Ta bort tvåstegsverifiering" in page


def test_a_lost_passkey_is_removed_too_and_then_the_person_enrols_an_app(client, login_as):
    person = make_user(role="staff")
    db.session.add(
        Passkey(
            user_id=person.id,
            credential_id="karins-passkey",
            public_key=b"key",
            user_handle="karins-handle",
            name="Karins telefon",
        )
    )
    db.session.commit()
    login_as("admin")
    page = client.get(f"/admin/anvandare/{person.id}").get_data(as_text=True)
    assert "Personen har registrerat minst en passkey." in page
    response = client.post(f"/admin/anvandare/{person.id}/tvastegsverifiering/ta-bort")
    assert response.status_code == 302
    assert db.session.scalar(select(Passkey)) is None
    client.post("/logga-ut")
    assert log_in_with_password(client, person).headers["Location"] == ENROLMENT


def test_removal_of_nothing_is_refused(client, login_as):
    person = make_user()
    login_as("admin")
    response = client.post(f"/admin/anvandare/{person.id}/tvastegsverifiering/ta-bort")
    assert response.status_code == 400
    assert "Personen har ingen tvåstegsverifiering." in response.get_data(as_text=True)
    assert db.session.scalar(select(OutboundEmail)) is None


def test_removal_needs_the_csrf_token(csrf_app, client, login_as):
    person = give_totp(make_user())
    login_as("admin")
    response = client.post(f"/admin/anvandare/{person.id}/tvastegsverifiering/ta-bort")
    assert response.status_code == 400
    assert db.session.get(TotpFactor, person.id) is not None


def test_the_app_shows_the_county_librarys_name_from_the_data(app):
    make_organisation("Länsbiblioteket Jämtlands län", kind="county_library")
    user = make_user()
    uri = mfa_services.provisioning_uri(user, mfa_services.start_totp(user))
    assert "issuer=L%C3%A4nsbiblioteket%20J%C3%A4mtlands%20l%C3%A4n" in uri
