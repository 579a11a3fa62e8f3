"""What happens when a transaction commits, or rolls back: the one place to read.

Work that may only happen once a transaction has committed (a Celery task sent, an email handed
to the broker, an uploaded file kept or erased) is noted in the session with `remember(key,
item)`. A feature registers, once, what to do with the items under its key after COMMIT and,
if anything, after ROLLBACK (`on_commit`). One pair of listeners, installed by the app factory
(`install`), runs the registered actions in the order they were registered; a rollback hands
each its items to undo, or forgets them. The read cache's counter, raised as the last statement
before COMMIT, registers here too (`before_commit`).

What is registered, in the order the app factory registers it (`portal/__init__.py`):
- `core.read_cache`: before COMMIT, the data-version counter is raised if a page's rows changed;
  after it, the request reads the counter again;
- `notifications.outbox`: the delivery tasks of the emails queued in the transaction;
- `core.after_commit` itself: the tasks sent with `send_after_commit` (a news item's fan-out);
- `documents.storage`: uploaded files kept, erased ones removed (a rollback removes new ones);
- `documents.tasks`: the text extraction of new document versions.

Only the portal's own sessions (Flask-SQLAlchemy's) are watched: Celery's embedded broker
commits its messages through sessions of its own.

A task sent before the commit could run before its rows are visible, or for rows a rollback
took away. If the broker is unreachable the task is logged and dropped: whoever asks must have
a beat task that finds the work again (as the outbox sweep and the news publisher do).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from flask_sqlalchemy.session import Session as PortalSession
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.extensions import db

log = logging.getLogger(__name__)

# (session, the items noted under the key since the transaction began)
Action = Callable[[Session, list], None]


@dataclass(frozen=True)
class Registered:
    key: str
    after_commit: Action | None
    after_rollback: Action | None
    before_commit: Callable[[Session], None] | None = None


_registered: list[Registered] = []


def on_commit(key: str, action: Action | None, *, on_rollback: Action | None = None) -> None:
    """After COMMIT, `action(session, items)` with the items remembered under `key`; after a
    ROLLBACK `on_rollback(session, items)`. Either way the items are gone afterwards; a None
    action just forgets them. Registering a key again replaces it."""
    _register(Registered(key, action, on_rollback))


def before_commit(key: str, action: Callable[[Session], None]) -> None:
    """`action(session)` just before every COMMIT, after the last flush."""
    _register(Registered(key, None, None, action))


def _register(entry: Registered) -> None:
    for index, existing in enumerate(_registered):
        if existing.key == entry.key:
            _registered[index] = entry
            return
    _registered.append(entry)


def remember(key: str, *items, session: Session | None = None) -> None:
    """Note `items` for the action registered under `key`, in this transaction."""
    (session or db.session()).info.setdefault(key, []).extend(items)


def forget(key: str, session: Session | None = None) -> list:
    """Take back what was noted under `key` in this transaction; returns it."""
    return (session or db.session()).info.pop(key, [])


def install() -> None:
    """Listen to the portal's sessions, once per process (every app shares the listeners)."""
    if event.contains(PortalSession, "after_commit", _after_commit):
        return
    event.listen(PortalSession, "before_commit", _before_commit)
    event.listen(PortalSession, "after_commit", _after_commit)
    event.listen(PortalSession, "after_rollback", _after_rollback)


def _before_commit(session: Session) -> None:
    for entry in list(_registered):
        if entry.before_commit is not None:
            entry.before_commit(session)


def _after_commit(session: Session) -> None:
    for entry in list(_registered):
        items = session.info.pop(entry.key, None)
        if items and entry.after_commit is not None:
            entry.after_commit(session, items)


def _after_rollback(session: Session) -> None:
    for entry in list(_registered):
        items = session.info.pop(entry.key, None)
        if items and entry.after_rollback is not None:
            entry.after_rollback(session, items)


TASKS_KEY = "tasks_after_commit"


def send_after_commit(task, *args) -> None:
    """`task.apply_async(args)` after the current transaction commits; never after a rollback."""
    remember(TASKS_KEY, (task, args))


def register_commit_hooks() -> None:
    on_commit(TASKS_KEY, _send_tasks)


def _send_tasks(session: Session, tasks: list) -> None:
    for task, args in tasks:
        try:
            task.apply_async(args=list(args), retry=False)
        except Exception as error:  # the broker is unreachable: beat finds the work again
            log.warning("Could not send task %s%s: %s", task.name, args, error)
            return
