"""The admin page "Utskick": what admins see and the retry button; nobody else gets in."""

import pytest

from portal.core.dates import utcnow
from portal.extensions import db
from tests.notifications.factories import make_email

# The outbox's status writer records deliveries on a connection of its own: real commits.
pytestmark = [pytest.mark.both_databases, pytest.mark.commits]

PAGE = "/admin/utskick"


def retry_url(row) -> str:
    return f"{PAGE}/{row.id}/forsok-igen"


def test_admin_sees_queued_sent_and_failed_emails_with_their_status(client, login_as, dispatched):
    make_email("queued", "kö@kramfors.example")
    make_email("sent", "skickad@timra.example")
    make_email("failed", "fel@ange.example", last_error="550 5.1.1 no such user")
    login_as("admin")

    page = client.get(PAGE).get_data(as_text=True)

    for text in ("kö@kramfors.example", "skickad@timra.example", "fel@ange.example"):
        assert text in page
    assert "Köad: 1" in page and "Skickad: 1" in page and "Misslyckad: 1" in page
    assert "550 5.1.1 no such user" in page


def test_status_filter_shows_only_failed_emails(client, login_as, dispatched):
    make_email("queued", "kö@kramfors.example")
    make_email("sent", "skickad@timra.example")
    make_email("failed", "fel@ange.example")
    login_as("admin")

    page = client.get(PAGE, query_string={"status": "failed"}).get_data(as_text=True)

    assert "fel@ange.example" in page
    assert "kö@kramfors.example" not in page
    assert "skickad@timra.example" not in page


def test_recipient_filter_finds_emails_to_one_library(client, login_as, dispatched):
    make_email("sent", "anna@kramfors.example")
    make_email("sent", "bo@solleftea.example")
    login_as("admin")

    page = client.get(PAGE, query_string={"mottagare": "Kramfors"}).get_data(as_text=True)

    assert "anna@kramfors.example" in page
    assert "bo@solleftea.example" not in page


def test_retry_button_is_offered_for_failed_emails_and_not_for_sent_ones(
    client, login_as, dispatched
):
    failed = make_email("failed", "fel@ange.example")
    sent = make_email("sent", "skickad@timra.example")
    login_as("admin")

    page = client.get(PAGE).get_data(as_text=True)

    assert f'action="{retry_url(failed)}"' in page
    assert retry_url(sent) not in page


def test_retry_button_requeues_a_failed_email_which_is_then_delivered(
    client, login_as, dispatched, deliver_outbox, sent_messages
):
    failed = make_email("failed", "fel@ange.example", attempts=8, last_error="451 try later")
    dispatched.clear()
    login_as("admin")

    response = client.post(retry_url(failed), follow_redirects=True)

    assert "E-postmeddelandet är köat igen." in response.get_data(as_text=True)
    db.session.refresh(failed)
    assert (failed.status, failed.attempts) == ("queued", 0)
    assert dispatched == [failed.id], "the task is sent once the retry is committed"
    assert [row.status for row in deliver_outbox()] == ["sent"]
    assert [message["To"] for message in sent_messages()] == ["fel@ange.example"]


def test_sent_email_is_not_sent_again_by_the_retry_button(client, login_as, dispatched):
    sent = make_email("sent", "skickad@timra.example")
    dispatched.clear()
    login_as("admin")

    response = client.post(retry_url(sent), follow_redirects=True)

    assert "E-postmeddelandet är redan skickat." in response.get_data(as_text=True)
    db.session.refresh(sent)
    assert sent.status == "sent"
    assert dispatched == []


def test_email_being_sent_is_not_queued_a_second_time(client, login_as, dispatched):
    sending = make_email("sending", "skickas@timra.example", claimed_at=utcnow())
    dispatched.clear()
    login_as("admin")

    response = client.post(retry_url(sending), follow_redirects=True)

    assert "E-postmeddelandet skickas just nu." in response.get_data(as_text=True)
    db.session.refresh(sending)
    assert sending.status == "sending"
    assert dispatched == []


@pytest.mark.parametrize("role", ["member", "staff"])
def test_non_admin_gets_403_for_the_page_and_the_retry(client, login_as, dispatched, role):
    failed = make_email("failed", "fel@ange.example")
    dispatched.clear()
    login_as(role)

    assert client.get(PAGE).status_code == 403
    assert client.post(retry_url(failed)).status_code == 403
    db.session.refresh(failed)
    assert failed.status == "failed"
    assert dispatched == []


def test_anonymous_visitor_is_sent_to_login_for_the_page_and_the_retry(client, dispatched):
    failed = make_email("failed", "fel@ange.example")
    dispatched.clear()

    page = client.get(PAGE)
    retry = client.post(retry_url(failed))

    for response in (page, retry):
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/logga-in")
    db.session.refresh(failed)
    assert failed.status == "failed"
    assert dispatched == []


def test_admin_sees_an_email_handed_to_the_server_twice_and_how_often(client, login_as, dispatched):
    make_email("sent", "tva.ganger@kramfors.example", handoffs=2)
    make_email("sent", "en.gang@timra.example", handoffs=1)
    login_as("admin")

    page = client.get(PAGE).get_data(as_text=True)

    repeated = page.split("Kan ha skickats mer än en gång</h2>")[1]
    assert "1 e-postmeddelanden kan ha skickats mer än en gång" in repeated
    assert "tva.ganger@kramfors.example" in repeated
    assert "2 gånger" in repeated
    assert "en.gang@timra.example" not in repeated
    assert "övre gräns" in repeated
