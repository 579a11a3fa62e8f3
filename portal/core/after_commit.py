"""What happens when a transaction flushes, commits or rolls back: the one place to read.

Work that may only happen once a transaction has committed (a Celery task sent, an email handed
to the broker, an uploaded file kept or erased) is noted in the session with `remember(key,
item)`. A feature registers, once, what to do with the items under its key after COMMIT and,
if anything, after ROLLBACK (`on_commit`). Rules that must hold for every write, whoever
writes, run at each flush (`before_flush`, `after_flush`), and a statement that writes rows in
bulk is shown to `on_bulk_write`. One set of listeners, installed by the app factory
(`install`), runs the registered actions in the order they were registered; a rollback hands
each its items to undo, or forgets them.

What is registered, in the order the app factory registers it (`portal/__init__.py`):
- `core.read_cache`: at each flush and bulk write, whether a page's rows changed; before
  COMMIT, the data-version counter is raised if they did; after it, the request reads the
  counter again;
- `notifications.outbox`: the delivery tasks of the emails queued in the transaction;
- `core.after_commit` itself: the tasks sent with `send_after_commit` (a news item's fan-out);
- `documents.storage`: uploaded files kept, erased ones removed (a rollback removes new ones);
- `documents.tasks`: the text extraction of new document versions;
- `documents.models`: before a flush, a document's searched text follows its current version;
- `reports.keeping`: before a flush, a project or grant with reports is not deleted;
- `reports.services`: before a flush, a sent report and its versions stay as they were sent;
- `search.index`: after a flush (SQLite), the search index follows the rows written.
- `projects.facet_counts`: after a flush, the project list's kept counts follow the projects
  the flush touched; before COMMIT, after a bulk write to a project table, they are counted
  afresh.

Only the portal's own sessions (Flask-SQLAlchemy's) are watched: Celery's embedded broker
commits its messages through sessions of its own.

A task sent before the commit could run before its rows are visible, or for rows a rollback
took away. If the broker is unreachable the task is logged and dropped: whoever asks must have
a beat task that finds the work again (as the outbox sweep and the news publisher do).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_sqlalchemy.session import Session as PortalSession
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql.dml import UpdateBase

from portal.extensions import db

log = logging.getLogger(__name__)

# (session, the items noted under the key since the transaction began)
Action = Callable[[Session, list], None]


# (session): at a flush or before COMMIT
SessionAction = Callable[[Session], None]


@dataclass(frozen=True)
class Registered:
    key: str
    after_commit: Action | None = None
    after_rollback: Action | None = None
    before_commit: SessionAction | None = None
    before_flush: SessionAction | None = None
    after_flush: SessionAction | None = None
    bulk_write: Callable[[Session, Any], None] | None = None


_registered: list[Registered] = []


def on_commit(key: str, action: Action | None, *, on_rollback: Action | None = None) -> None:
    """After COMMIT, `action(session, items)` with the items remembered under `key`; after a
    ROLLBACK `on_rollback(session, items)`. Either way the items are gone afterwards; a None
    action just forgets them. Registering a key again replaces it."""
    _register(Registered(key, after_commit=action, after_rollback=on_rollback))


def before_commit(key: str, action: SessionAction) -> None:
    """`action(session)` just before every COMMIT, after the last flush."""
    _register(Registered(key, before_commit=action))


def before_flush(key: str, action: SessionAction) -> None:
    """`action(session)` before every flush: it may change what is flushed, or refuse it by
    raising a DomainError."""
    _register(Registered(key, before_flush=action))


def after_flush(key: str, action: SessionAction) -> None:
    """`action(session)` after every flush, with `session.new`, `dirty` and `deleted` still
    holding what was written."""
    _register(Registered(key, after_flush=action))


def on_bulk_write(key: str, action: Callable[[Session, Any], None]) -> None:
    """`action(session, table)` for every INSERT, UPDATE or DELETE statement the ORM executes
    on a table (a bulk write, which no flush sees)."""
    _register(Registered(key, bulk_write=action))


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
    event.listen(PortalSession, "before_flush", _before_flush)
    event.listen(PortalSession, "after_flush", _after_flush)
    event.listen(PortalSession, "do_orm_execute", _bulk_write)
    event.listen(PortalSession, "before_commit", _before_commit)
    event.listen(PortalSession, "after_commit", _after_commit)
    event.listen(PortalSession, "after_rollback", _after_rollback)


def _before_flush(session: Session, flush_context, instances) -> None:
    for entry in list(_registered):
        if entry.before_flush is not None:
            entry.before_flush(session)


def _after_flush(session: Session, flush_context) -> None:
    for entry in list(_registered):
        if entry.after_flush is not None:
            entry.after_flush(session)


def _bulk_write(state: ORMExecuteState) -> None:
    statement = state.statement
    if not isinstance(statement, UpdateBase):  # INSERT, UPDATE and DELETE are UpdateBase
        return
    table = statement.table
    for entry in list(_registered):
        if entry.bulk_write is not None:
            entry.bulk_write(state.session, table)


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
