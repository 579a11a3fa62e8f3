"""Failed logins counted in a real Redis (RATELIMIT_STORAGE_URI), as production does: the web
processes share the counts and the one alert email, and a stopped Redis keeps no one out."""

import pytest
from sqlalchemy import select

from portal import create_app
from portal.extensions import db, limiter
from portal.notifications.models import OutboundEmail
from tests.conftest import PortalTestClient, empty_database
from tests.factories import PASSWORD, make_user

WRONG = "fel-lösenord-helt-och-hållet"
ATTACKER = "203.0.113.66"


@pytest.fixture
def app(database_url, redis_server, tmp_path):
    # The limiter is one object for every app: the other tests' apps get their in-memory
    # storage back afterwards.
    storage, strategy = limiter._storage, limiter._limiter
    app = web_process(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_STORAGE_URI": redis_server.url,
            "WTF_CSRF_ENABLED": False,
            "INSTANCE_DIR": str(tmp_path),
            "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
            "LOGIN_FAILURE_ALERT": "12 per hour",
        }
    )
    with app.app_context():
        db.create_all()
        yield app
        if not redis_server.running:
            redis_server.start()
        empty_database()
    if storage is not None:
        limiter._storage, limiter._limiter = storage, strategy


def web_process(config: dict):
    app = create_app("testing", config)
    app.test_client_class = PortalTestClient
    return app


def log_in(client, password, address=ATTACKER):
    return client.post(
        "/logga-in",
        data={"email": "karin@kramfors.example", "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_two_web_processes_share_the_counts_and_send_one_alert(app):
    make_user(email="karin@kramfors.example")
    first, second = app.test_client(), web_process(dict(app.config)).test_client()
    for _ in range(5):
        assert log_in(first, WRONG).status_code == 200
        assert log_in(second, WRONG).status_code == 200
    assert log_in(first, PASSWORD).status_code == 429
    assert log_in(second, PASSWORD).status_code == 429
    for address in ("203.0.113.1", "203.0.113.2"):
        for client in (first, second):
            log_in(client, WRONG, address)
    alerts = db.session.scalars(
        select(OutboundEmail).where(OutboundEmail.template == "login_failures")
    ).all()
    assert [alert.recipient for alert in alerts] == ["karin@kramfors.example"]
    assert log_in(second, PASSWORD, "198.51.100.7").status_code == 302


def test_logins_work_while_redis_is_stopped(app, client, redis_server):
    make_user(email="karin@kramfors.example")
    redis_server.stop()
    for _ in range(12):
        assert log_in(client, WRONG).status_code == 200
    assert log_in(client, PASSWORD).status_code == 302
