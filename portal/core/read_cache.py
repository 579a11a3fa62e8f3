"""Read models (the dashboard, the project list with its counts, a project page) cached until
the data behind them changes.

One counter row, `data_versions.read_models`, is raised by every transaction that writes a row
the pages show; each cache key carries the counter, so a page never shows data older than the
last committed change and nothing has to be deleted from the cache. The raise is the last
statement before COMMIT: the row lock is held for the commit only, so two writers cannot
deadlock on it. Models whose rows no page shows (the outbox, the audit log) opt out with
`read_cache_ignored = True`; single columns (a login time, a password hash) with
`read_cache_ignored_columns`. Without the counter row (a database emptied by hand) nothing is
cached until the next write creates it. If the cache backend fails, the page is built anyway.
"""

import functools
import hashlib
import logging
import time
from collections.abc import Callable
from typing import Any, cast

from flask import Flask, g, has_app_context, render_template
from flask_babel import get_locale
from flask_caching import Cache
from markupsafe import Markup
from sqlalchemy import BigInteger, Column, String, Table, event, insert, inspect, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.core import after_commit
from portal.extensions import Model, db

log = logging.getLogger(__name__)
cache = Cache()
COUNTER = "read_models"
CHANGED_KEY = "read_models_changed"
RAISED_KEY = "read_models_raised"

data_versions = Table(
    "data_versions",
    db.metadata,
    Column("name", String(50), primary_key=True),
    Column("version", BigInteger, nullable=False),
)


def init_read_cache(app: Flask) -> None:
    """Redis when CACHE_REDIS_URL is set, with short timeouts (a Redis that stops answering
    costs each lookup half a second at most, not a hang); otherwise an in-process cache."""
    if app.config.get("CACHE_REDIS_URL"):
        app.config["CACHE_TYPE"] = "RedisCache"
        app.config["CACHE_OPTIONS"] = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    else:
        app.config["CACHE_TYPE"] = "SimpleCache"
    cache.init_app(app)


def cached(name: str, *key_parts: Any, build: Callable[[], Any]) -> Any:
    """The read model `name` for these key parts: from the cache if built since the last
    change, else built now (and kept for the next request)."""
    version = current_version()
    if version is None:
        return build()
    parts = hashlib.blake2b(repr(key_parts).encode(), digest_size=16).hexdigest()
    key = f"{name}:{version}:{parts}"
    try:
        found = cache.get(key)
    except Exception as error:  # the cache is a shortcut: without it the page is built
        log.warning("Read cache unavailable: %s", error)
        return build()
    if found is not None:
        return found
    value = build()
    try:
        cache.set(key, value)
    except Exception as error:
        log.warning("Could not store %s in the read cache: %s", name, error)
    return value


def cached_fragment(template: str, *key_parts: Any, context: Callable[[], dict]) -> Markup:
    """A part of a page rendered once per data version and language. What belongs to the
    signed-in person (the menu, their own buttons, a form's CSRF token) stays outside it and
    is rendered on every request; `context` is only called when the part is rendered."""
    html = cached(
        f"fragment:{template}",
        str(get_locale()),
        *key_parts,
        build=lambda: str(render_template(template, **context())),
    )
    return Markup(html)


def version_column():
    """The counter as a column, so a query every request runs anyway (the user loader) brings
    it along instead of a round trip of its own."""
    return select(data_versions.c.version).where(data_versions.c.name == COUNTER).scalar_subquery()


def remember_version(version: int | None) -> None:
    g.read_models_version = version


def current_version() -> int | None:
    """The counter, read once per request (None: no counter row, so nothing is cached)."""
    if "read_models_version" not in g:
        g.read_models_version = db.session.scalar(
            select(data_versions.c.version).where(data_versions.c.name == COUNTER)
        )
    return g.read_models_version


def _is_shown(instance) -> bool:
    """Whether a written row is data some cached page shows."""
    model = type(instance)
    if getattr(model, "read_cache_ignored", False):
        return False
    ignored: frozenset[str] = getattr(model, "read_cache_ignored_columns", frozenset())
    if not ignored:
        return True
    state = inspect(instance)
    if state.pending or state.deleted or state.was_deleted:
        return True
    return any(attr.history.has_changes() for attr in state.attrs if attr.key not in ignored)


@functools.cache
def _ignored_tables() -> frozenset[str]:
    return frozenset(
        cast(Table, mapper.local_table).name  # typed as any FromClause by SQLAlchemy
        for mapper in Model.registry.mappers
        if getattr(mapper.class_, "read_cache_ignored", False)
    )


@event.listens_for(data_versions, "after_create")
def _create_counter(target, connection, **kw) -> None:
    connection.execute(insert(data_versions).values(name=COUNTER, version=first_version()))


def first_version() -> int:
    """A new counter starts at the clock in milliseconds, not at 1: a process that cached
    pages under the old counter's numbers can never mistake them for the new counter's."""
    return time.time_ns() // 1_000_000


def _raise_counter(session: Session) -> None:
    connection = session.connection()
    raised = connection.execute(
        update(data_versions)
        .where(data_versions.c.name == COUNTER)
        .values(version=data_versions.c.version + 1)
    )
    if raised.rowcount:
        return
    try:
        with connection.begin_nested():
            connection.execute(insert(data_versions).values(name=COUNTER, version=first_version()))
    except IntegrityError:  # another transaction created the row first: raise it instead
        _raise_counter(session)


def note_shown_changes(session: Session) -> None:
    """After a flush: did it write a row that some page shows?"""
    written = (*session.new, *session.dirty, *session.deleted)
    if any(_is_shown(instance) for instance in written):
        session.info[CHANGED_KEY] = [True]


def note_bulk_changes(session: Session, table) -> None:
    """An UPDATE or DELETE of many rows, which no flush sees. Only the portal's own sessions
    are watched: Celery's embedded broker writes through sessions of its own, into a database
    without the counter."""
    if table is not data_versions and table.name not in _ignored_tables():
        session.info[CHANGED_KEY] = [True]


def register_commit_hooks() -> None:
    """Raise the counter as the last statement before COMMIT when a page's rows changed, and
    have the request read it again after: a request that saves and then shows a page must not
    key it by the old counter. A rollback forgets the change."""
    after_commit.after_flush("read_cache_flush", note_shown_changes)
    after_commit.on_bulk_write("read_cache_bulk", note_bulk_changes)
    after_commit.before_commit(COUNTER, raise_counter_last)
    after_commit.on_commit(CHANGED_KEY, None)
    after_commit.on_commit(RAISED_KEY, read_the_counter_again)


def raise_counter_last(session: Session) -> None:
    session.flush()
    if session.info.pop(CHANGED_KEY, None):
        _raise_counter(session)
        after_commit.remember(RAISED_KEY, True, session=session)


def read_the_counter_again(session: Session, raised: list) -> None:
    if has_app_context():
        g.pop("read_models_version", None)
