"""The outbox: rows in the caller's transaction, tasks after commit, exclusive claims, sweep."""

import threading
from datetime import timedelta
from types import SimpleNamespace

import pytest
from kombu.exceptions import OperationalError
from sqlalchemy import func, select

from portal.core.dates import utcnow
from portal.core.errors import ValidationError
from portal.extensions import db
from portal.notifications import claims, outbox, tasks
from portal.notifications.models import OutboundEmail
from tests.notifications.factories import make_due, queue_reset_email

# Claims race on connections and threads of their own: real commits.
pytestmark = [pytest.mark.both_databases, pytest.mark.commits]


def rows_seen_by_another_connection() -> int:
    with db.engine.connect() as other:
        return other.scalar(select(func.count()).select_from(OutboundEmail))


def queue_without_commit(to="karin@kramfors.example"):
    return outbox.queue_email(
        to,
        "password_reset",
        "Återställ ditt lösenord",
        user=SimpleNamespace(name="Karin Ek"),
        link="http://portal.test/aterstall-losenord/abc",
    )


@pytest.fixture
def broker(monkeypatch):
    """Stands in for the broker at `deliver_email.apply_async`; can be switched off."""
    state = SimpleNamespace(calls=[], reachable=True)
    task_class = type(tasks.deliver_email._get_current_object())

    def apply_async(self, args=None, kwargs=None, **options):
        state.calls.append(args)
        if not state.reachable:
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(task_class, "apply_async", apply_async)
    return state


def test_email_is_written_in_the_callers_transaction_and_its_task_sent_after_commit(
    app, dispatched
):
    row = queue_without_commit()
    assert rows_seen_by_another_connection() == 0
    assert dispatched == []

    db.session.commit()

    assert rows_seen_by_another_connection() == 1
    assert dispatched == [row.id]


def test_rolled_back_email_leaves_no_row_and_sends_no_task(app, dispatched):
    queue_without_commit()
    db.session.rollback()
    db.session.commit()  # a later commit in the same session must not send the forgotten id

    assert rows_seen_by_another_connection() == 0
    assert dispatched == []


def test_delivery_task_carries_only_the_row_id(app, broker):
    row = queue_reset_email()
    assert broker.calls == [[row.id]]


def test_unreachable_broker_does_not_break_the_commit_and_the_sweep_finds_the_emails(app, broker):
    broker.reachable = False
    rows = [queue_without_commit(f"person{n}@kramfors.example") for n in range(3)]
    db.session.commit()

    assert len(broker.calls) == 1, "after one refusal the request must not wait for the others"
    assert rows_seen_by_another_connection() == 3
    assert sorted(claims.due_email_ids()) == sorted(row.id for row in rows)


def test_second_claim_of_the_same_email_gets_nothing(app, dispatched):
    row = queue_reset_email()
    first = claims.claim(row.id)
    assert (first.status, first.attempts) == ("sending", 1)
    assert claims.claim(row.id) is None


def test_only_one_of_many_simultaneous_claims_wins(app, dispatched):
    row_id = queue_reset_email().id
    db.session.remove()
    start = threading.Barrier(6)
    winners = []

    def try_claim():
        with app.app_context():
            start.wait()
            if claims.claim(row_id) is not None:
                winners.append(threading.get_ident())
            db.session.remove()

    threads = [threading.Thread(target=try_claim) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(winners) == 1
    assert db.session.get(OutboundEmail, row_id).attempts == 1


def test_email_waiting_for_its_next_attempt_is_not_claimed(app, dispatched):
    row = queue_reset_email(next_attempt_at=utcnow() + timedelta(minutes=5))
    assert claims.claim(row.id) is None
    assert claims.due_email_ids() == []


def test_sweep_sends_a_task_for_each_due_email_and_none_for_waiting_ones(app, dispatched):
    due = queue_reset_email("due@kramfors.example")
    queue_reset_email("later@kramfors.example", next_attempt_at=utcnow() + timedelta(minutes=5))
    dispatched.clear()

    assert tasks.sweep_outbox() == 1
    assert dispatched == [due.id]


def test_stale_sending_claim_is_taken_up_again_by_the_sweep(app, dispatched, deliver_outbox):
    row = queue_reset_email()
    claims.claim(row.id)  # a worker took it and was killed before it finished
    assert claims.due_email_ids() == [], "a fresh claim belongs to its worker"
    timeout = app.config["OUTBOX_CLAIM_TIMEOUT_SECONDS"]
    row.claimed_at = utcnow() - timedelta(seconds=timeout + 1)
    db.session.commit()
    dispatched.clear()

    tasks.sweep_outbox()

    assert dispatched == [row.id]
    (delivered,) = deliver_outbox()
    assert (delivered.status, delivered.attempts) == ("sent", 2)


def test_stale_claim_that_used_up_its_attempts_is_failed_by_the_sweep(app, dispatched):
    app.config["OUTBOX_MAX_ATTEMPTS"] = 2
    row = queue_reset_email(attempts=1)
    claims.claim(row.id)
    row.claimed_at = utcnow() - timedelta(seconds=app.config["OUTBOX_CLAIM_TIMEOUT_SECONDS"] + 1)
    db.session.commit()
    dispatched.clear()
    assert claims.claim(row.id) is None, "a redelivered task must not send it a third time"

    tasks.sweep_outbox()

    db.session.refresh(row)
    assert (row.status, row.attempts) == ("failed", 2)
    assert "worker stopped" in row.last_error
    assert dispatched == []


@pytest.mark.parametrize(
    "recipient",
    [
        "karin@kramfors.example\r\nBcc: spion@example.com",
        "karin@kramfors.example\nBcc: spion@example.com",
        "karin@kramfors.example, spion@example.com",
        "karin@kramfors.example; spion@example.com",
        "Karin <karin@kramfors.example>",
    ],
)
def test_header_injection_in_recipient_is_refused(app, dispatched, recipient):
    with pytest.raises(ValidationError):
        queue_without_commit(recipient)
    db.session.commit()
    assert rows_seen_by_another_connection() == 0
    assert dispatched == []


@pytest.mark.parametrize(
    "subject", ["Hej\r\nBcc: spion@example.com", "Hej\nBcc: spion@example.com", "Hej\rBcc: x@y"]
)
def test_header_injection_in_subject_is_refused(app, dispatched, subject):
    with pytest.raises(ValidationError):
        outbox.queue_email(
            "karin@kramfors.example",
            "password_reset",
            subject,
            user=SimpleNamespace(name="Karin Ek"),
            link="http://portal.test/x",
        )
    assert rows_seen_by_another_connection() == 0


def test_header_injection_in_reply_to_is_refused(app, dispatched):
    with pytest.raises(ValidationError):
        outbox.queue_email(
            "karin@kramfors.example",
            "password_reset",
            "Hej",
            reply_to="svar@lansbiblioteket.example\r\nBcc: spion@example.com",
            user=SimpleNamespace(name="Karin Ek"),
            link="http://portal.test/x",
        )
    assert rows_seen_by_another_connection() == 0


def test_due_email_ids_pass_over_sent_and_failed_emails(app, dispatched):
    sent = queue_reset_email("sent@kramfors.example", status="sent", sent_at=utcnow())
    failed = queue_reset_email("failed@kramfors.example", status="failed")
    make_due(sent)
    make_due(failed)
    assert claims.due_email_ids() == []
