"""A batch under faults: a worker that dies mid-batch, a status write that fails, a server so
slow that the batch outlasts the claim timeout. Each email is recorded before the next is handed
over, so only the email in flight can go twice, and the worker's lease keeps the sweep away."""

import smtplib
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import event, exc, select

from portal.core.dates import utcnow
from portal.extensions import db
from portal.notifications import claims, outbox, records
from portal.notifications.models import OutboundEmail
from tests.notifications.factories import queue_reset_email

# The outbox's status writer records deliveries on a connection of its own: real commits.
pytestmark = [pytest.mark.both_databases, pytest.mark.commits]


def queue(count: int) -> list[int]:
    return [queue_reset_email(f"person{n}@kramfors.example").id for n in range(count)]


def rows() -> list[OutboundEmail]:
    db.session.expire_all()
    return db.session.scalars(select(OutboundEmail).order_by(OutboundEmail.id)).all()


def offers_per_message_id(smtp_server) -> Counter:
    return Counter(envelope.message_id for envelope in smtp_server.delivered)


def let_claims_go_stale(app) -> None:
    stale = utcnow() - timedelta(seconds=app.config["OUTBOX_CLAIM_TIMEOUT_SECONDS"] + 1)
    for row in rows():
        if row.status == "sending":
            row.claimed_at = stale
    db.session.commit()


@pytest.fixture
def die_after(monkeypatch):
    """The worker process dies right after the server accepted the n-th message, before it
    could note the reply (SystemExit, as a kill would end it)."""

    def arm(count: int) -> None:
        sendmail = smtplib.SMTP.sendmail
        sent = []

        def sendmail_then_die(self, *args, **kwargs):
            result = sendmail(self, *args, **kwargs)
            sent.append(1)
            if len(sent) == count:
                raise SystemExit("killed")
            return result

        monkeypatch.setattr(smtplib.SMTP, "sendmail", sendmail_then_die)

    return arm


@pytest.fixture
def failing_writes(app, monkeypatch):
    """Status writes fail like a database that restarts: the statements after the first
    `healthy` ones raise until `count` have failed (or for ever, with count None)."""
    monkeypatch.setattr(records, "FIRST_WAIT_SECONDS", 0.01)
    monkeypatch.setattr(records, "LONGEST_WAIT_SECONDS", 0.05)
    failures, listeners = [], []

    def arm(healthy: int, count: int | None) -> list:
        seen = []

        def fail(conn, cursor, statement, parameters, context, executemany):
            if "handoffs" not in statement or not statement.lstrip().upper().startswith("UPDATE"):
                return
            seen.append(1)
            if len(seen) > healthy and (count is None or len(failures) < count):
                failures.append(statement)
                raise exc.OperationalError(statement, parameters, Exception("server restarting"))

        event.listen(db.engine, "before_cursor_execute", fail)
        listeners.append(fail)
        return failures

    yield arm
    for listener in listeners:
        event.remove(db.engine, "before_cursor_execute", listener)


@pytest.mark.parametrize("killed_at", [1, 3, 6])
def test_a_worker_killed_mid_batch_sends_only_the_email_it_had_not_recorded_twice(
    app, dispatched, smtp_server, die_after, killed_at
):
    ids = queue(6)
    die_after(killed_at)

    with pytest.raises(SystemExit):
        outbox.deliver_many(ids)

    recorded = killed_at - 1
    statuses = [row.status for row in rows()]
    assert statuses == ["sent"] * recorded + ["sending"] * (len(ids) - recorded)
    let_claims_go_stale(app)
    claims.fail_abandoned()
    outbox.deliver_many(claims.due_email_ids())

    offers = offers_per_message_id(smtp_server)
    assert set(offers) == {row.message_id for row in rows()}, "none lost"
    twice = [n for n, row in enumerate(rows()) if offers[row.message_id] == 2]
    assert twice == [killed_at - 1], "only the email handed over and not recorded"
    assert max(offers.values()) == 2
    assert {row.status for row in rows()} == {"sent"}
    assert [row.handoffs for row in rows()][killed_at - 1] == 2


def test_a_status_write_that_fails_is_retried_and_nothing_sent_goes_again(
    app, dispatched, smtp_server, failing_writes
):
    ids = queue(6)
    failures = failing_writes(healthy=3, count=4)

    statuses = outbox.deliver_many(ids)

    assert len(failures) == 4, "the write failed four times and then went through"
    assert set(statuses.values()) == {"sent"}
    assert {row.status for row in rows()} == {"sent"}
    assert set(offers_per_message_id(smtp_server).values()) == {1}
    assert len(smtp_server.delivered) == 6
    assert [row.handoffs for row in rows()] == [1] * 6


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_database_connection_cut_mid_batch_is_replaced_and_nothing_sent_goes_again(
    app, dispatched, smtp_server, monkeypatch, caplog
):
    """PostgreSQL ends every connection of the portal (as a restart does) after the third
    email: the next status write fails on its dead connection and goes through on a new one."""
    monkeypatch.setattr(records, "FIRST_WAIT_SECONDS", 0.01)
    ids = queue(6)
    sendmail, sent = smtplib.SMTP.sendmail, []

    def sendmail_then_cut(self, *args, **kwargs):
        result = sendmail(self, *args, **kwargs)
        sent.append(1)
        if len(sent) == 3:
            with db.engine.connect() as admin:
                admin.exec_driver_sql(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
        return result

    monkeypatch.setattr(smtplib.SMTP, "sendmail", sendmail_then_cut)

    assert set(outbox.deliver_many(ids).values()) == {"sent"}

    assert set(offers_per_message_id(smtp_server).values()) == {1}
    assert len(smtp_server.delivered) == 6
    assert [(row.status, row.handoffs) for row in rows()] == [("sent", 1)] * 6
    assert "trying again until the database is back" in caplog.text


def test_a_worker_sends_nothing_more_while_its_status_write_fails(
    app, dispatched, smtp_server, failing_writes
):
    app.config["OUTBOX_RECORD_RETRY_SECONDS"] = 0.3
    ids = queue(6)
    failing_writes(healthy=2, count=None)

    with pytest.raises(exc.OperationalError):
        outbox.deliver_many(ids)

    assert len(smtp_server.delivered) == 2, "the third email waits for the second's record"


def test_the_lease_is_renewed_while_a_slow_server_takes_longer_than_the_claim_timeout(
    app, dispatched, smtp_server, monkeypatch
):
    app.config["OUTBOX_CLAIM_TIMEOUT_SECONDS"] = 1
    smtp_server.slow_down(0.3)
    ids = queue(6)
    taken_by_the_sweep = []
    sendmail = smtplib.SMTP.sendmail

    def sendmail_and_look(self, *args, **kwargs):
        result = sendmail(self, *args, **kwargs)
        with db.engine.connect() as other_process:
            taken_by_the_sweep.extend(
                other_process.scalars(
                    select(OutboundEmail.id).where(claims.claimable(utcnow()))
                ).all()
            )
        return result

    monkeypatch.setattr(smtplib.SMTP, "sendmail", sendmail_and_look)
    started = utcnow()

    assert set(outbox.deliver_many(ids).values()) == {"sent"}

    assert utcnow() - started > timedelta(seconds=1.5), "the batch outlasted the timeout"
    assert taken_by_the_sweep == []
    assert set(offers_per_message_id(smtp_server).values()) == {1}


def test_a_worker_that_lost_its_claim_does_not_send_the_row(app, dispatched, smtp_server):
    first, taken_over = queue(2)
    lease = records.Lease("mine")
    claimed = outbox.claimed_rows([first, taken_over], lease)
    db.session.execute(
        OutboundEmail.__table__.update()
        .where(OutboundEmail.id == taken_over)
        .values(claim_token="another worker")
    )
    db.session.commit()

    with outbox.backends.connection() as mailer:
        statuses = outbox.send_claimed(mailer, claimed, lease)

    assert statuses == {first: "sent"}
    assert [envelope.rcpt_tos for envelope in smtp_server.delivered] == [
        ["person0@kramfors.example"]
    ]


def test_a_hand_over_the_server_refused_is_not_counted(app, dispatched, smtp_server):
    (email_id,) = queue(1)
    smtp_server.fail_next(1, "451 4.3.0 try later")
    outbox.deliver(email_id)
    row = db.session.get(OutboundEmail, email_id)
    row.next_attempt_at = utcnow()
    db.session.commit()

    assert outbox.deliver(email_id) == "sent"

    (row,) = rows()
    assert (row.attempts, row.handoffs) == (2, 1)


def test_every_attempt_carries_the_same_message_id(app, dispatched, smtp_server):
    (email_id,) = queue(1)
    smtp_server.fail_next(2, "451 4.3.0 try later")
    for _ in range(3):
        row = db.session.get(OutboundEmail, email_id)
        row.next_attempt_at = utcnow()
        db.session.commit()
        outbox.deliver(email_id)

    (row,) = rows()
    assert row.status == "sent"
    assert [envelope.message_id for envelope in smtp_server.envelopes] == [row.message_id] * 3
