"""Delivery through a real SMTP server on loopback: sent, retried later, or failed for good."""

import socket
from contextlib import closing

import pytest
from sqlalchemy import insert

from portal.core.dates import utcnow
from portal.extensions import db
from portal.notifications import claims, outbox
from portal.notifications.models import OutboundEmail
from tests.notifications.factories import make_due, queue_reset_email

# The outbox's status writer records deliveries on a connection of its own: real commits.
pytestmark = [pytest.mark.both_databases, pytest.mark.commits]


def deliver_now(row) -> OutboundEmail:
    outbox.deliver(row.id)
    db.session.refresh(row)
    return row


def seconds_until_next_attempt(row) -> float:
    return (row.next_attempt_at - utcnow()).total_seconds()


def test_email_reaches_the_smtp_server_for_its_one_recipient_and_is_marked_sent(
    app, dispatched, smtp_server
):
    row = queue_reset_email("karin@kramfors.example", name="Karin Ek")

    assert deliver_now(row).status == "sent"

    (envelope,) = smtp_server.envelopes
    assert envelope.rcpt_tos == ["karin@kramfors.example"]
    assert envelope.mail_from == "portal@lansbiblioteket.example"
    assert envelope.message["Message-ID"] == row.message_id
    assert envelope.message["Subject"] == "Återställ ditt lösenord"
    assert "Hej Karin Ek!" in envelope.message.get_body(("plain",)).get_content()
    assert row.sent_at is not None and row.attempts == 1


def test_451_keeps_the_email_queued_and_each_retry_waits_longer(app, dispatched, smtp_server):
    smtp_server.fail_next(2, "451 4.3.0 try later")
    row = queue_reset_email()

    deliver_now(row)
    assert (row.status, row.attempts) == ("queued", 1)
    assert "451" in row.last_error
    first_wait = seconds_until_next_attempt(row)
    assert claims.claim(row.id) is None, "not due before next_attempt_at"

    make_due(row)
    deliver_now(row)
    second_wait = seconds_until_next_attempt(row)

    assert (row.status, row.attempts) == ("queued", 2)
    base = app.config["OUTBOX_RETRY_BASE_SECONDS"]
    assert base - 5 < first_wait <= base
    assert second_wait > first_wait + base / 2

    make_due(row)
    assert deliver_now(row).status == "sent"
    assert [envelope.accepted for envelope in smtp_server.offers_of(row.message_id)] == [
        False,
        False,
        True,
    ]


def test_smtp_server_that_never_answers_is_tried_again_later(app, dispatched):
    with closing(socket.socket()) as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)  # accepts the connection in the kernel, never says a word
        app.config.update(
            MAIL_BACKEND="smtp",
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=silent.getsockname()[1],
            MAIL_TIMEOUT_SECONDS=0.3,
        )
        row = deliver_now(queue_reset_email())

    assert (row.status, row.attempts) == ("queued", 1)
    assert seconds_until_next_attempt(row) > 0
    assert "timed out" in row.last_error


def test_temporary_failures_stop_at_the_attempt_cap_and_the_email_fails(
    app, dispatched, smtp_server
):
    app.config["OUTBOX_MAX_ATTEMPTS"] = 3
    smtp_server.fail_next(5, "451 4.3.0 try later")
    row = queue_reset_email()

    for _ in range(3):
        make_due(row)
        deliver_now(row)

    assert (row.status, row.attempts) == ("failed", 3)
    assert "451" in row.last_error
    make_due(row)
    assert claims.due_email_ids() == []
    assert len(smtp_server.offers_of(row.message_id)) == 3


def test_550_fails_the_email_at_once_and_it_is_not_retried(app, dispatched, smtp_server):
    smtp_server.fail_next(1, "550 5.1.1 no such user")
    row = queue_reset_email("finns.inte@kramfors.example")

    deliver_now(row)

    assert (row.status, row.attempts) == ("failed", 1)
    assert row.last_error.startswith("550")
    make_due(row)
    assert claims.due_email_ids() == []
    assert outbox.deliver(row.id) == "skipped"
    assert len(smtp_server.envelopes) == 1


@pytest.mark.parametrize(
    ("reply", "status"),
    [("550 5.1.1 no such user", "failed"), ("450 4.2.1 mailbox busy", "queued")],
)
def test_recipient_refused_at_rcpt_follows_the_reply_code(
    app, dispatched, smtp_server, reply, status
):
    smtp_server.fail_next(1, reply, stage="RCPT")
    row = deliver_now(queue_reset_email())
    assert row.status == status
    assert row.last_error.startswith(reply[:3])
    assert smtp_server.delivered == []


@pytest.mark.parametrize(
    "recipient",
    ["karin@kramfors.example, spion@example.com", "karin@kramfors.example\r\nBcc: spion@x.se"],
)
def test_row_written_around_queue_email_never_reaches_the_smtp_server(
    app, dispatched, smtp_server, recipient
):
    """Defence in depth: a row inserted by other code is checked again before sending."""
    email_id = db.session.execute(
        insert(OutboundEmail)
        .values(
            recipient=recipient,
            subject="Hej",
            template="password_reset",
            text_body="Hej",
            html_body="<p>Hej</p>",
            message_id="<injected@lansbiblioteket.example>",
            status="queued",
            attempts=0,
            next_attempt_at=utcnow(),
            created_at=utcnow(),
        )
        .returning(OutboundEmail.id)
    ).scalar_one()
    db.session.commit()

    assert outbox.deliver(email_id) == "failed"
    assert smtp_server.envelopes == []


def test_file_backend_writes_one_eml_per_email(app, dispatched, sent_messages):
    row = queue_reset_email("karin@kramfors.example")
    assert deliver_now(row).status == "sent"
    (message,) = sent_messages()
    assert (message["To"], message["Message-ID"]) == ("karin@kramfors.example", row.message_id)
