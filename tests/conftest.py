"""Fixtures: an app and a clean database per test, on SQLite and (where reachable) PostgreSQL."""

import email
import email.policy
import tempfile
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from flask import g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import select

from portal import create_app
from portal.accounts import passwords
from portal.extensions import db, limiter
from portal.notifications import outbox
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
    limiter.reset()


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


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request):
    """Every database test runs on SQLite, and again on PostgreSQL."""
    if request.param == "sqlite":
        folder = tempfile.mkdtemp(prefix="portal-test-")
        yield f"sqlite:///{folder}/portal.db"
        return
    require_service(postgres_reachable(), "PostgreSQL")
    url = create_postgres_database()
    yield url
    drop_postgres_database(url)


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "INSTANCE_DIR": str(tmp_path),
            "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        },
    )
    app.test_client_class = PortalTestClient
    with app.app_context():
        if database_url not in _schema_ready:
            db.drop_all()
            db.create_all()
            _schema_ready.add(database_url)
        yield app
        empty_database()


@pytest.fixture
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login_as(client):
    """Log the client in as a new user with the role; returns the user."""

    def login(role: str = "member", organisation=None, **fields):
        user = factories.make_user(role=role, organisation=organisation, **fields)
        response = client.post(
            "/logga-in", data={"email": user.email, "password": factories.PASSWORD}
        )
        assert response.status_code == 302, response.data
        return user

    return login


@pytest.fixture
def deliver_outbox(app):
    """Deliver every due email the way the worker does; returns the rows after delivery."""

    def deliver():
        for email_id in outbox.due_email_ids():
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
