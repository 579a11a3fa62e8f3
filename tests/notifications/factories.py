"""Small factories for outbox rows: real queued emails, or rows in a given state."""

from datetime import timedelta
from types import SimpleNamespace

from portal.core.dates import utcnow
from portal.extensions import db
from portal.notifications.outbox import queue_email


def queue_reset_email(to: str = "karin@kramfors.example", name: str = "Karin Ek", **fields):
    """Queue a password-reset email (a real template) and commit it."""
    row = queue_email(
        to,
        "password_reset",
        "Återställ ditt lösenord",
        user=SimpleNamespace(name=name),
        link="http://portal.test/aterstall-losenord/abc",
    )
    for key, value in fields.items():
        setattr(row, key, value)
    db.session.commit()
    return row


def make_email(status: str = "queued", to: str = "karin@kramfors.example", **fields):
    """A committed row in the given state, e.g. a failed one with its last error."""
    defaults = {"sent": {"sent_at": utcnow(), "attempts": 1}, "failed": {"attempts": 1}}
    return queue_reset_email(to, status=status, **{**defaults.get(status, {}), **fields})


def make_due(row, seconds_ago: int = 1) -> None:
    """Let the clock run on until the row's next attempt is due."""
    row.next_attempt_at = utcnow() - timedelta(seconds=seconds_ago)
    db.session.commit()
