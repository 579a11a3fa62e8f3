"""The status writes of a worker sending a claimed batch: one write before each email.

Before an email is handed to the SMTP server, one statement records the outcome of the email
before it, counts this one's hand-over and renews the worker's lease. The write runs in a
thread of its own (`StatusWriter`) while the email's envelope and body go to the server, and
the final "." that hands the email over waits for it. So after a crash at most one email per
SMTP connection can go twice, the one handed over and not yet recorded; the sweep never takes
rows from a worker that is still sending; and a write that fails (the database restarting) is
tried again, with the outcome kept in memory, before anything more is handed over.
"""

import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from typing import cast

from flask import current_app
from sqlalchemy import Connection, Engine, Table, and_, bindparam, case, exc, or_, update

from portal.core.dates import UTCDateTime, utcnow
from portal.extensions import db
from portal.notifications.models import OutboundEmail

log = logging.getLogger(__name__)

# The first wait before a failed status write is tried again, and the longest.
FIRST_WAIT_SECONDS = 0.1
LONGEST_WAIT_SECONDS = 5.0


TABLE = cast(Table, OutboundEmail.__table__)  # typed as any FromClause by SQLAlchemy
NOW = bindparam("now", type_=UTCDateTime())
SENT = TABLE.c.id.in_(bindparam("sent", expanding=True))
UPCOMING = TABLE.c.id.in_(bindparam("upcoming", expanding=True))
HELD = and_(TABLE.c.claim_token == bindparam("token"), TABLE.c.status == "sending")

# The statements of a status write, built once: a worker runs them for every email. The common
# write is one statement: the emails just sent are recorded sent, whoever holds them now (a
# worker that took one over sends it only while it is still 'sending'), and the coming ones
# this worker still holds get their hand-over counted and their lease renewed.
RECORD_SENT_AND_HAND_OVER = (
    update(TABLE)
    .where(or_(and_(SENT, TABLE.c.status != "sent"), and_(UPCOMING, HELD)))
    .values(
        status=case((SENT, "sent"), else_=TABLE.c.status),
        sent_at=case((SENT, NOW), else_=TABLE.c.sent_at),
        last_error=case((SENT, None), else_=TABLE.c.last_error),
        claim_token=case((SENT, None), else_=TABLE.c.claim_token),
        claimed_at=case((SENT, None), else_=NOW),
        handoffs=case((SENT, TABLE.c.handoffs), else_=TABLE.c.handoffs + 1),
    )
    .returning(TABLE.c.id, TABLE.c.status)
)
# A retry or a failure is recorded only by the worker that still holds the row; the hand-over
# is taken back when the server refused the message.
RECORD_OTHER = (
    update(TABLE)
    .where(TABLE.c.id == bindparam("b_id"), TABLE.c.claim_token == bindparam("b_token"))
    .values(
        status=bindparam("b_status"),
        last_error=bindparam("b_last_error"),
        next_attempt_at=bindparam("b_next_attempt_at"),
        handoffs=TABLE.c.handoffs - bindparam("b_refused"),
        claimed_at=None,
        claim_token=None,
    )
)
RENEW = (
    update(TABLE)
    .where(TABLE.c.id.in_(bindparam("ids", expanding=True)), HELD)
    .values(claimed_at=NOW)
)


def _config(name: str):
    return field(default_factory=lambda: current_app.config[name])


@dataclass
class Lease:
    """A worker's hold on the rows `ids` it claimed under `token`, when it last renewed it,
    and the connection its status writes go over (kept for the batch: a connection taken from
    the pool for every email cost a ping each time).

    Made in the application context; the settings and the engine it needs are read then, so
    that the status writer's thread, which has no application context, can use it.
    """

    token: str
    ids: list[int] = field(default_factory=list)
    renewed: float = field(default_factory=time.monotonic)
    connection: Connection | None = None
    claim_timeout: float = _config("OUTBOX_CLAIM_TIMEOUT_SECONDS")
    retry_limit: float = _config("OUTBOX_RECORD_RETRY_SECONDS")
    engine: Engine = field(default_factory=lambda: db.engine)

    def is_due(self) -> bool:
        """Renewed at a quarter of the claim timeout: far from stale even when one message
        waits for a slow server's reply in between."""
        return time.monotonic() - self.renewed >= self.claim_timeout / 4

    def close(self, broken: bool = False) -> None:
        """Give the connection back to the pool as it was taken, or discard it after a failed
        write: it may be dead, or keep this batch's setting for whoever takes it next."""
        if self.connection is None:
            return
        connection, self.connection = self.connection, None
        try:
            if not broken and connection.dialect.name == "postgresql":
                connection.exec_driver_sql("RESET synchronous_commit")
        except exc.DBAPIError:
            broken = True
        with suppress(exc.DBAPIError):
            if broken:
                connection.invalidate()
            connection.close()


class StatusWriter:
    """Runs a lease's status writes one at a time in a thread of its own, so that each write
    overlaps the next email's envelope and body on the SMTP connection instead of adding its
    round trip to the database to every email.

    `submit` starts a write once the one before it has finished; `held` waits for the
    current one and says whether the worker may hand that email over. `statuses` collects
    the outcomes written so far. Only this thread uses the lease's connection, and it closes
    it too, when the writer closes.
    """

    def __init__(self, lease: Lease):
        self.lease = lease
        self.statuses: dict[int, str] = {}
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-status")
        self._current: Future | None = None
        self._outcomes: list[dict] = []
        self._failure: Exception | None = None

    def submit(self, outcomes: list[dict], upcoming: list[int]) -> None:
        """Start the write of `outcomes` and of the `upcoming` hand-overs, after raising what
        the write before it raised, if it failed: nothing more is sent then."""
        self.wait()
        self._outcomes = list(outcomes)
        self._current = self._thread.submit(write_progress, self.lease, self._outcomes, upcoming)

    def wait(self) -> list[int]:
        """The upcoming ids of the current write this worker still holds (none without one);
        raises what the write raised."""
        if self._failure is not None:
            raise self._failure
        if self._current is None:
            return []
        current, self._current = self._current, None
        held = current.result()
        self.statuses.update((outcome["id"], outcome["status"]) for outcome in self._outcomes)
        return held

    def held(self, email_id: int) -> bool:
        """Whether the email may be handed over: its write went through and the worker still
        holds it. A failed write says no here, to the mailer in the middle of a message, and
        is raised by the next `submit` or `wait`."""
        try:
            return email_id in self.wait()
        except Exception as error:
            self._failure = error
            return False

    def close(self) -> None:
        """Let a write under way finish (its outcomes are true), then close the connection in
        the thread that used it."""
        try:
            if self._current is not None:
                with suppress(Exception):
                    self._current.result()
            self._thread.submit(self.lease.close).result()
        finally:
            self._thread.shutdown(wait=True)

    def __enter__(self) -> "StatusWriter":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def open_connection(engine: Engine) -> Connection:
    """The connection of a batch's status writes. On PostgreSQL its commits do not wait for
    the disk: a flush per email cost more than sending it. A commit is durable within
    3 × wal_writer_delay (0.6 s); only a crash of PostgreSQL itself (not a restart, which
    flushes) can lose the writes of that last moment, and those emails would go again."""
    connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET synchronous_commit TO off")
    return connection


def write_progress(lease: Lease, outcomes: list[dict], upcoming: list[int]) -> list[int]:
    """Record `outcomes`, count a hand-over for the `upcoming` rows this worker still holds
    and renew its lease; returns the upcoming ids it may send.

    A failed write is tried again, on a new connection, with a growing wait for up to
    OUTBOX_RECORD_RETRY_SECONDS; the caller sends nothing in the meantime. Past that the error
    is raised, and the rows go again once their lease is stale.
    """
    limit = lease.retry_limit
    started, wait, failures = time.monotonic(), FIRST_WAIT_SECONDS, 0
    while True:
        try:
            held = _write(lease, outcomes, upcoming)
        except exc.DBAPIError as error:
            failures += 1
            lease.close(broken=True)  # the next try takes a fresh connection
            if time.monotonic() - started + wait > limit:
                log.error(
                    "Status write of %s emails failed for %.0f s; giving up: %s",
                    len(outcomes),
                    time.monotonic() - started,
                    error,
                    extra={"email_ids": [outcome["id"] for outcome in outcomes]},
                )
                raise
            if failures == 1:
                log.warning(
                    "Status write of %s emails failed; trying again until the database is back: %s",
                    len(outcomes),
                    error,
                    extra={"email_ids": [outcome["id"] for outcome in outcomes]},
                )
            time.sleep(wait)
            wait = min(wait * 2, LONGEST_WAIT_SECONDS)
        else:
            if failures:
                log.info("Status write succeeded after %s failures", failures)
            return held


def _write(lease: Lease, outcomes: list[dict], upcoming: list[int]) -> list[int]:
    """Each statement commits on its own (the connection autocommits: one round trip per
    email) and may run twice: a statement that finds its rows already written does nothing."""
    if lease.connection is None:
        lease.connection = open_connection(lease.engine)
    connection, now = lease.connection, utcnow()
    others = [
        {
            "b_id": outcome["id"],
            "b_token": lease.token,
            "b_status": outcome["status"],
            "b_last_error": outcome["last_error"],
            "b_next_attempt_at": outcome["next_attempt_at"],
            "b_refused": 0 if outcome["maybe_delivered"] else 1,
        }
        for outcome in outcomes
        if outcome["status"] != "sent"
    ]
    if others:
        connection.execute(RECORD_OTHER, others)
    sent = [outcome["id"] for outcome in outcomes if outcome["status"] == "sent"]
    held = []
    if sent or upcoming:
        written = connection.execute(
            RECORD_SENT_AND_HAND_OVER,
            {"sent": sent, "upcoming": upcoming, "token": lease.token, "now": now},
        )
        held = [row.id for row in written if row.status == "sending"]
    if lease.is_due():
        connection.execute(RENEW, {"ids": lease.ids, "token": lease.token, "now": now})
        lease.renewed = time.monotonic()
    return held
