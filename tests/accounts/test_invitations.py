import re

import pytest
from sqlalchemy import select

from portal.accounts.models import Invitation, User
from portal.core.dates import utcnow
from portal.extensions import db
from portal.notifications.models import OutboundEmail
from tests.factories import LONG_PASSPHRASE, make_organisation, make_user

# The outbox's status writer records deliveries on a connection of its own: real commits.
pytestmark = pytest.mark.commits

GOOD_PASSWORD = "tidig-vår-längs-höga-kusten"


def invite(client, organisation, email="ny.bibliotekarie@kramfors.example", role="member"):
    return client.post(
        "/admin/anvandare/bjud-in",
        data={
            "email": email,
            "name": "Nils Berg",
            "organisation_id": organisation.id,
            "role": role,
        },
    )


def invitation_link(sent_messages_or_row) -> str:
    text = sent_messages_or_row
    return re.search(r"https?://\S+/inbjudan/\S+", text).group(0)


def queued_invitation(app) -> tuple[OutboundEmail, str]:
    """The queued invitation email and the path of its link."""
    row = db.session.scalar(select(OutboundEmail))
    return row, invitation_link(row.text_body).removeprefix(app.config["PORTAL_BASE_URL"])


def test_admin_invites_librarian_and_email_is_queued_with_link(client, login_as, deliver_outbox):
    kramfors = make_organisation("Kramfors bibliotek")
    login_as("admin")
    response = invite(client, kramfors)
    assert response.status_code == 302
    row = db.session.scalar(select(OutboundEmail))
    assert row.recipient == "ny.bibliotekarie@kramfors.example"
    assert row.status == "queued"
    assert "Kramfors bibliotek" in row.text_body
    assert "/inbjudan/" in row.text_body and "/inbjudan/" in row.html_body
    assert [r.status for r in deliver_outbox()] == ["sent"]


def test_invitee_chooses_password_logs_in_and_edits_profile(
    app, client, login_as, sent_messages, deliver_outbox
):
    kramfors = make_organisation("Kramfors bibliotek")
    login_as("admin")
    invite(client, kramfors)
    deliver_outbox()
    client.post("/logga-ut")
    (message,) = sent_messages()
    link = invitation_link(message.get_body(("plain",)).get_content())
    path = link.split(app.config["PORTAL_BASE_URL"])[1]

    page = client.get(path)
    assert "Nils Berg" in page.get_data(as_text=True)
    response = client.post(path, data={"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD})
    assert response.status_code == 302

    client.post("/logga-ut")
    response = client.post(
        "/logga-in",
        data={"email": "Ny.Bibliotekarie@Kramfors.example", "password": GOOD_PASSWORD},
    )
    assert response.status_code == 302
    client.post(
        "/profil",
        data={
            "name": "Nils Berg",
            "title": "Barnbibliotekarie",
            "phone": "0612-800 00",
            "language": "sv",
        },
    )
    user = db.session.scalar(select(User).where(User.email == "ny.bibliotekarie@kramfors.example"))
    assert (user.title, user.organisation.name, user.role) == (
        "Barnbibliotekarie",
        "Kramfors bibliotek",
        "member",
    )


def test_invitation_link_works_only_once(client, login_as, app):
    kramfors = make_organisation("Kramfors bibliotek")
    login_as("admin")
    invite(client, kramfors)
    row, path = queued_invitation(app)
    client.post("/logga-ut")
    assert (
        client.post(path, data={"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD}).status_code
        == 302
    )
    client.post("/logga-ut")
    reused = client.post(path, data={"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD})
    assert reused.status_code == 410
    assert "ogiltig, redan använd eller har gått ut" in reused.get_data(as_text=True)


def test_invitation_accepts_a_passphrase_of_128_characters(client, login_as, app):
    login_as("admin")
    invite(client, make_organisation("Kramfors bibliotek"))
    _, path = queued_invitation(app)
    client.post("/logga-ut")
    form = {"password": LONG_PASSPHRASE, "confirm": LONG_PASSPHRASE}
    assert client.post(path, data=form).status_code == 302
    client.post("/logga-ut")
    login = {"email": "ny.bibliotekarie@kramfors.example", "password": LONG_PASSPHRASE}
    assert client.post("/logga-in", data=login).status_code == 302


def test_expired_invitation_is_refused(client, login_as, app):
    kramfors = make_organisation("Kramfors bibliotek")
    login_as("admin")
    invite(client, kramfors)
    row, path = queued_invitation(app)
    invitation = db.session.scalar(select(Invitation))
    invitation.expires_at = utcnow()
    db.session.commit()
    client.post("/logga-ut")
    assert client.get(path).status_code == 410


def test_invitation_to_existing_email_is_refused_next_to_the_field(client, login_as):
    kramfors = make_organisation("Kramfors bibliotek")
    make_user(email="karin@kramfors.example")
    login_as("admin")
    response = invite(client, kramfors, email="KARIN@kramfors.example")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Det finns redan ett konto med den e-postadressen." in page
    assert 'value="KARIN@kramfors.example"' in page
    assert db.session.scalar(select(OutboundEmail)) is None


def test_invitation_with_header_injection_in_email_is_refused(client, login_as):
    kramfors = make_organisation("Kramfors bibliotek")
    login_as("admin")
    response = invite(client, kramfors, email="nils@kramfors.example\r\nBcc: spion@example.com")
    assert response.status_code == 200
    assert "Ange en giltig e-postadress" in response.get_data(as_text=True)
    assert db.session.scalar(select(OutboundEmail)) is None


def test_weak_password_on_invitation_is_refused_and_form_kept(client, login_as, app):
    kramfors = make_organisation("Kramfors bibliotek")
    login_as("admin")
    invite(client, kramfors)
    row, path = queued_invitation(app)
    client.post("/logga-ut")
    response = client.post(path, data={"password": "bibliotek2024", "confirm": "bibliotek2024"})
    assert response.status_code == 200
    assert "byggt av en årstid, en månad, en kommun eller ett bibliotek" in response.get_data(
        as_text=True
    )
    assert db.session.scalar(select(User).where(User.email == row.recipient)) is None
