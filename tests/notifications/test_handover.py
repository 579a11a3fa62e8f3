"""The moment of hand-over: the server has a message only once it got the final ".", and the
outbox gives it that "." only after the email before it was recorded. So a crash at any moment
leaves at most one email per connection handed over and not recorded."""

import time

import pytest
from sqlalchemy import event, func, select

from portal.extensions import db
from portal.notifications import backends, outbox
from portal.notifications.models import OutboundEmail
from tests.notifications.factories import queue_reset_email

# The outbox's status writer records deliveries on a connection of its own: real commits.
pytestmark = pytest.mark.commits

MESSAGE = (
    b"From: portal@lansbiblioteket.example\r\n"
    b"To: {to}\r\n"
    b"Subject: Test\r\n"
    b"Message-ID: <{name}@lansbiblioteket.example>\r\n"
    b"\r\n"
    b"Forsta raden\r\n"
    b".en rad som borjar med punkt\r\n"
    b"..och en med tva\r\n"
    b".\r\n"
    b"sista raden\r\n"
)


def message(name: str, to: str = "lasare@kramfors.example") -> bytes:
    return MESSAGE.replace(b"{to}", to.encode()).replace(b"{name}", name.encode())


def test_a_message_taken_back_before_its_final_dot_never_arrives_and_the_next_one_does(
    app, smtp_server
):
    with backends.connection() as mailer:
        with pytest.raises(backends.HandoverCancelled):
            mailer.send(message("first"), "lasare@kramfors.example", "<first@x>", lambda: False)
        mailer.send(message("second"), "lasare@kramfors.example", "<second@x>")

    assert [envelope.message_id for envelope in smtp_server.delivered] == [
        "<second@lansbiblioteket.example>"
    ]


def test_lines_that_start_with_a_dot_arrive_as_they_were_written(app, smtp_server):
    with backends.connection() as mailer:
        mailer.send(message("dots"), "lasare@kramfors.example", "<dots@x>")

    (envelope,) = smtp_server.delivered
    assert envelope.message.get_content().splitlines() == [
        "Forsta raden",
        ".en rad som borjar med punkt",
        "..och en med tva",
        ".",
        "sista raden",
    ]


def test_the_file_backend_writes_no_file_for_a_message_taken_back(app, tmp_path):
    app.config.update(MAIL_BACKEND="file", MAIL_OUTBOX_DIR=str(tmp_path))
    with backends.connection() as mailer:
        with pytest.raises(backends.HandoverCancelled):
            mailer.send(message("first"), "lasare@kramfors.example", "<first@x>", lambda: False)
        mailer.send(message("second"), "lasare@kramfors.example", "<second@x>")

    assert sorted(path.name for path in tmp_path.iterdir()) == ["second_at_x.eml"]


def test_each_final_dot_waits_for_the_record_of_the_email_before_it(
    app, dispatched, smtp_server, monkeypatch
):
    """The status writes are made slow; at every "." the emails handed over before it are
    already recorded as sent."""
    ids = [queue_reset_email(f"person{n}@kramfors.example").id for n in range(8)]
    recorded_at_each_dot = []

    def slow_write(conn, cursor, statement, parameters, context, executemany):
        if "handoffs" in statement:
            time.sleep(0.02)

    def send_and_look(self, data):
        if data == b".\r\n":
            with db.engine.connect() as other_process:
                recorded_at_each_dot.append(
                    other_process.scalar(select(func.count()).where(OutboundEmail.status == "sent"))
                )
        return send(self, data)

    send = backends.HandoverSMTP.send
    monkeypatch.setattr(backends.HandoverSMTP, "send", send_and_look)
    event.listen(db.engine, "before_cursor_execute", slow_write)
    try:
        statuses = outbox.deliver_many(ids)
    finally:
        event.remove(db.engine, "before_cursor_execute", slow_write)

    assert set(statuses.values()) == {"sent"}
    assert recorded_at_each_dot == list(range(8))
