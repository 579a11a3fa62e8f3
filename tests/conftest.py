"""Fixtures: an app per test whose database work is rolled back afterwards, on SQLite; and again
on PostgreSQL (where reachable, always under CI=true) for the tests marked `both_databases`:
those whose subject is the database (queries, search, the outbox's claims and locks,
constraints, aggregates). Tests marked `commits` commit for real and have the tables emptied
after them instead."""

import email
import email.policy
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from flask import Flask, g, has_app_context, session
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as PortalSession
from sqlalchemy import Connection, select

from portal import create_app
from portal.accounts import passwords
from portal.accounts import services as account_services
from portal.accounts.sessions import start_session
from portal.core import read_cache
from portal.extensions import db, limiter
from portal.notifications import claims, outbox
from portal.notifications.models import OutboundEmail
from portal.search.index import clear_index
from tests import factories
from tests.services import (
    create_postgres_database,
    drop_postgres_database,
    postgres_reachable,
    require_service,
)

_schema_ready: set[str] = set()


def empty_database() -> None:
    """After a test: delete every row, close the connections, forget the rate limits."""
    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    clear_index()
    db.session.commit()
    db.session.remove()
    db.engine.dispose()
    forget_caches()


def forget_caches() -> None:
    """The rate limits and the read cache live outside the database: a rollback keeps them,
    and the cache's entries are keyed by a data version that the next test counts again."""
    limiter.reset()
    with suppress(Exception):  # a test may have stopped the Redis behind its own cache
        read_cache.cache.clear()


class JoinedSession(PortalSession):
    """Flask-SQLAlchemy's session picks the app's engine in `get_bind` and never looks at the
    session's own `bind`; this one uses the test's connection when it was given one."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None and self.bind is not None:
            return self.bind
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


@contextmanager
def rolled_back_transaction() -> Iterator[Connection]:
    """Every session of the test (its own `db.session`, and that of each request of the test
    client, which runs in an application context of its own) joins one transaction on one
    connection, which is rolled back at the end: the code's commits release SAVEPOINTs.

    This is SQLAlchemy's "joining a session into an external transaction". The session
    events fire as for a real commit (the session's own transaction commits), so the
    after-commit hooks run as in production. On SQLite, pysqlite would open the transaction
    itself at the first write, and the SAVEPOINTs outside it: the release of the first would
    commit. So for the test it leaves transactions to us, and the test emits BEGIN.
    """
    connection = db.engine.connect()
    driver = connection.connection.driver_connection
    is_sqlite = connection.dialect.name == "sqlite"
    if is_sqlite:
        isolation_level, driver.isolation_level = driver.isolation_level, None
    transaction = connection.begin()
    if is_sqlite:
        connection.exec_driver_sql("BEGIN")
    factory = db.session.session_factory
    session_class, options = factory.class_, dict(factory.kw)
    factory.class_ = JoinedSession
    factory.configure(bind=connection, join_transaction_mode="create_savepoint")
    db.session.remove()
    try:
        yield connection
    finally:
        db.session.remove()
        factory.class_ = session_class
        factory.kw.clear()
        factory.kw.update(options)
        transaction.rollback()
        if is_sqlite:
            driver.isolation_level = isolation_level
        connection.close()


class PortalTestClient(FlaskClient):
    """Each request in its own application context, as in production: `g`, the cached user
    and the database session never carry over from one request to the next."""

    def open(self, *args, **kwargs):
        if self.preserve_context:  # `with client:` runs in the fixture's app context
            if has_app_context():
                g.pop("_login_user", None)
            return super().open(*args, **kwargs)
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch):
    """Argon2 at its lowest cost: tests log in often; they do not measure hashing."""
    monkeypatch.setattr(
        passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )


def pytest_generate_tests(metafunc):
    """A test that uses the database runs on SQLite, and on PostgreSQL too when it (or its
    module) is marked `both_databases`; a test may also name its databases itself."""
    if "database_url" not in metafunc.fixturenames:
        return
    for mark in metafunc.definition.iter_markers("parametrize"):
        if "database_url" in mark.args[0]:
            return
    both = metafunc.definition.get_closest_marker("both_databases") is not None
    databases = ["sqlite", "postgresql"] if both else ["sqlite"]
    metafunc.parametrize("database_url", databases, indirect=True, scope="session")


@pytest.fixture(scope="session")
def databases():
    """A database of each kind, made when first asked for and kept for the session (a test
    that names its database runs the fixture below again, and must get the same one)."""
    made: dict[str, str] = {}

    def database(kind: str) -> str:
        if kind not in made:
            if kind == "sqlite":
                made[kind] = f"sqlite:///{tempfile.mkdtemp(prefix='portal-test-')}/portal.db"
            else:
                require_service(postgres_reachable(), "PostgreSQL")
                made[kind] = create_postgres_database()
        return made[kind]

    yield database
    if "postgresql" in made:
        drop_postgres_database(made["postgresql"])


@pytest.fixture(scope="session")
def database_url(request, databases):
    """The URL of the session's database of the kind asked for: SQLite or PostgreSQL."""
    return databases(getattr(request, "param", "sqlite"))


def build_app(database_url: str, instance_dir) -> Flask:
    app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "INSTANCE_DIR": str(instance_dir),
            "MAIL_OUTBOX_DIR": str(Path(instance_dir) / "outbox"),
        },
    )
    app.test_client_class = PortalTestClient
    return app


# One app per database for the whole session: building one costs about 80 ms, which over some
# three thousand tests was minutes. Each test gets the app's configuration back as it found it.
_shared_apps: dict[str, Flask] = {}


def shared_app(database_url: str, tmp_path_factory) -> Flask:
    if database_url not in _shared_apps:
        _shared_apps[database_url] = build_app(database_url, tmp_path_factory.mktemp("instance"))
    return _shared_apps[database_url]


@pytest.fixture
def app(request, database_url, tmp_path, tmp_path_factory):
    """The session's app for this database, with the test's own instance folder and outbox,
    in an application context, in a transaction rolled back afterwards (or, marked
    `commits`, with real commits and the tables emptied afterwards); the configuration, the
    read cache and the rate limits are then as before. A test that adds routes or changes
    the templates' loader is marked `own_app` and gets an app of its own."""
    if request.node.get_closest_marker("own_app"):
        app = build_app(database_url, tmp_path)
    else:
        app = shared_app(database_url, tmp_path_factory)
    configuration = dict(app.config)
    app.config.update(INSTANCE_DIR=str(tmp_path), MAIL_OUTBOX_DIR=str(tmp_path / "outbox"))
    # Tasks called directly run in the app of the default Celery app: this one, not the app
    # that another test built last.
    app.extensions["celery"].set_default()
    app.extensions["celery"].set_current()
    try:
        with app.app_context():
            if database_url not in _schema_ready:
                db.drop_all()
                db.create_all()
                _schema_ready.add(database_url)
            if request.node.get_closest_marker("commits"):
                yield app
                empty_database()
            else:
                with rolled_back_transaction():
                    yield app
                forget_caches()
    finally:
        app.config.clear()
        app.config.update(configuration)


@pytest.fixture
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login_as(client):
    """Log the client in as a new user with the role; returns the user.

    The login is what the form does after checking the password and the second factor
    (`services.record_login`, then `start_session` with the factor passed), written straight
    into the client's session cookie: the tests of logging in itself
    (tests/accounts/test_login.py, tests/accounts/test_second_factor.py) go through the form."""

    def login(role: str = "member", organisation=None, user=None, **fields):
        """As a new user with this role, or as `user` if given."""
        user = user or factories.make_user(role=role, organisation=organisation, **fields)
        with client.session_transaction() as cookie, client.application.test_request_context():
            account_services.record_login(user)
            start_session(user, second_factor="totp")
            cookie.clear()
            cookie.update(session)
            cookie.permanent = True
        db.session.commit()
        return user

    return login


@pytest.fixture
def deliver_outbox(app):
    """Deliver every due email the way the worker does; returns the rows after delivery."""

    def deliver():
        for email_id in claims.due_email_ids():
            outbox.deliver(email_id)
        db.session.expire_all()
        return db.session.scalars(select(OutboundEmail).order_by(OutboundEmail.id)).all()

    return deliver


@pytest.fixture
def sent_messages(app):
    """The .eml files the file backend wrote, parsed."""

    def read():
        folder = Path(app.config["MAIL_OUTBOX_DIR"])
        return [
            email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in sorted(folder.glob("*.eml"))
        ]

    return read
