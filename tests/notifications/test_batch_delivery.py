"""Many emails over one SMTP connection, with the same promises as one at a time: a 4xx waits
and is tried again, a 5xx fails only its own email, nothing is dropped."""

import smtplib
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.notifications import claims, outbox, tasks
from portal.notifications.models import OutboundEmail
from tests.notifications.factories import make_due, queue_reset_email

# The outbox's status writer records deliveries on a connection of its own: real commits.
pytestmark = [pytest.mark.both_databases, pytest.mark.commits]


@pytest.fixture
def connections(monkeypatch):
    """How many SMTP connections were opened."""
    opened = []
    connect = smtplib.SMTP.connect

    def counting_connect(self, *args, **kwargs):
        opened.append(args)
        return connect(self, *args, **kwargs)

    monkeypatch.setattr(smtplib.SMTP, "connect", counting_connect)
    return opened


def queue(count: int) -> list[int]:
    return [queue_reset_email(f"person{n}@kramfors.example").id for n in range(count)]


def rows() -> list[OutboundEmail]:
    db.session.expire_all()
    return db.session.scalars(select(OutboundEmail).order_by(OutboundEmail.id)).all()


def test_a_batch_goes_over_one_connection_each_email_to_its_own_recipient(
    app, dispatched, smtp_server, connections
):
    ids = queue(120)

    statuses = outbox.deliver_many(ids)

    assert set(statuses.values()) == {"sent"}
    assert len(connections) == 1
    assert [envelope.rcpt_tos for envelope in smtp_server.envelopes] == [
        [f"person{n}@kramfors.example"] for n in range(120)
    ]
    assert all(row.status == "sent" and row.attempts == 1 for row in rows())


def test_an_email_with_attachments_in_a_batch_carries_them_and_the_others_none(
    app, dispatched, smtp_server
):
    plain = queue_reset_email("person0@kramfors.example").id
    with_files = outbox.queue_email(
        "person1@kramfors.example",
        "password_reset",
        "Protokoll",
        user=SimpleNamespace(name="Karin Ek"),
        link="http://portal.test/aterstall-losenord/abc",
        attachments=(
            ("Protokoll 2015-03-12.pdf", "application/pdf", b"%PDF-1.4 protokoll"),
            ("Närvaro.csv", "text/csv", "namn;kommun\nKarin;Härnösand\n".encode()),
        ),
    ).id
    db.session.commit()

    assert outbox.deliver_many([plain, with_files]) == {plain: "sent", with_files: "sent"}

    first, second = (envelope.message for envelope in smtp_server.envelopes)
    assert list(first.iter_attachments()) == []
    files = [
        (part.get_filename(), part.get_content_type(), part.get_payload(decode=True))
        for part in second.iter_attachments()
    ]
    assert files == [
        ("Protokoll 2015-03-12.pdf", "application/pdf", b"%PDF-1.4 protokoll"),
        ("Närvaro.csv", "text/csv", "namn;kommun\nKarin;Härnösand\n".encode()),
    ]
    assert "Hej Karin Ek!" in second.get_body(("plain",)).get_content()


def test_a_451_in_the_middle_of_a_batch_delays_that_email_and_the_rest_go(
    app, dispatched, smtp_server
):
    ids = queue(5)
    outbox.deliver_many(ids[:2])
    smtp_server.fail_next(1, "451 4.3.0 try later")

    statuses = outbox.deliver_many(ids[2:])

    assert statuses == {ids[2]: "queued", ids[3]: "sent", ids[4]: "sent"}
    delayed = db.session.get(OutboundEmail, ids[2])
    assert delayed.attempts == 1 and "451" in delayed.last_error
    assert claims.due_email_ids() == [], "it waits for its next attempt"
    make_due(delayed)
    assert outbox.deliver_many([ids[2]]) == {ids[2]: "sent"}


def test_a_550_fails_only_its_own_email(app, dispatched, smtp_server):
    ids = queue(3)
    smtp_server.fail_next(1, "550 5.1.1 no such user", stage="RCPT")

    statuses = outbox.deliver_many(ids)

    assert list(statuses.values()) == ["failed", "sent", "sent"]
    assert len(smtp_server.delivered) == 2


def test_a_server_that_is_down_leaves_the_whole_batch_queued_for_later(app, dispatched):
    ids = queue(4)
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=1)

    statuses = outbox.deliver_many(ids)

    assert set(statuses.values()) == {"queued"}
    assert all("ConnectionRefusedError" in row.last_error for row in rows())


def test_a_batch_skips_emails_that_are_sent_waiting_or_claimed_elsewhere(
    app, dispatched, smtp_server
):
    sent, waiting, claimed, due = queue(4)
    outbox.deliver(sent)
    outbox.deliver_many([waiting])
    db.session.get(OutboundEmail, waiting).next_attempt_at = outbox.utcnow().replace(year=2099)
    db.session.commit()
    claims.claim(claimed)

    assert outbox.deliver_many([sent, waiting, claimed, due]) == {due: "sent"}
    assert len(smtp_server.envelopes) == 3


def test_a_connection_lost_midway_keeps_the_rest_queued(app, dispatched, smtp_server, monkeypatch):
    ids = queue(3)
    sendmail = smtplib.SMTP.sendmail
    calls = []

    def drop_after_first(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return sendmail(self, *args, **kwargs)

    monkeypatch.setattr(smtplib.SMTP, "sendmail", drop_after_first)

    statuses = outbox.deliver_many(ids)

    assert list(statuses.values()) == ["sent", "queued", "queued"]
    assert all(row.attempts == 1 for row in rows())


def test_the_sweep_hands_due_emails_to_batch_delivery(app, dispatched, monkeypatch):
    batches = []
    monkeypatch.setattr(outbox, "send_delivery_batch", lambda ids: batches.append(ids) or True)
    app.config["OUTBOX_BATCH_SIZE"] = 2
    ids = queue(5)

    assert tasks.sweep_outbox() == 5
    assert batches == [ids[:2], ids[2:4], ids[4:]]


def test_emails_queued_for_batches_are_sent_to_the_worker_after_the_commit(app, monkeypatch):
    batches = []
    monkeypatch.setattr(outbox, "send_delivery_batch", lambda ids: batches.append(ids) or True)
    ids = outbox.queue_rendered_emails(
        [
            {
                "recipient": f"person{n}@kramfors.example",
                "subject": "Nyhet",
                "template": "news_published",
                "text_body": "Hej",
                "html_body": "<p>Hej</p>",
            }
            for n in range(3)
        ]
    )
    assert batches == []

    db.session.commit()

    assert batches == [ids]
    assert {row.status for row in rows()} == {"queued"}


def test_emails_queued_for_batches_are_forgotten_on_rollback(app, monkeypatch):
    batches = []
    monkeypatch.setattr(outbox, "send_delivery_batch", lambda ids: batches.append(ids) or True)
    outbox.queue_rendered_emails(
        [
            {
                "recipient": "a@b.example",
                "subject": "x",
                "template": "t",
                "text_body": "",
                "html_body": "",
            }
        ]
    )
    db.session.rollback()
    db.session.commit()
    assert batches == []
    assert rows() == []
