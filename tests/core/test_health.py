"""`/healthz` answers for the process, `/readyz` for the database and the broker, and reports
whether a worker took a task lately."""

import os
import socket
import time
from contextlib import closing
from datetime import timedelta

import pytest
import redis

from portal import create_app
from portal.core.worker_health import WorkerHeartbeat, record_heartbeat
from portal.extensions import db
from proof.processes import free_port
from tests.services import require_service

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_reachable() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping())
    except redis.RedisError:
        return False


def readyz(app):
    """GET /readyz on a fresh client; returns the response and the seconds it took."""
    started = time.monotonic()
    response = app.test_client().get("/readyz")
    return response, time.monotonic() - started


def test_healthz_says_ok_as_json(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_is_ok_when_database_and_broker_answer(app):
    response, _ = readyz(app)
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok",
        "database": True,
        "broker": True,
        "worker": False,
    }


def test_readyz_reports_a_worker_that_ran_the_heartbeat_lately(app):
    record_heartbeat()
    response, _ = readyz(app)
    assert response.status_code == 200
    assert response.get_json()["worker"] is True


def test_readyz_reports_a_worker_whose_heartbeat_is_old_and_stays_200(app):
    record_heartbeat()
    row = db.session.get(WorkerHeartbeat, "worker")
    row.beat_at -= timedelta(seconds=app.config["WORKER_HEARTBEAT_MAX_AGE_SECONDS"] + 1)
    db.session.commit()
    response, _ = readyz(app)
    assert response.status_code == 200
    assert response.get_json()["worker"] is False


def test_readyz_is_ok_with_the_embedded_laptop_broker(database_url, tmp_path):
    app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "CELERY_BROKER_URL": f"sqla+sqlite:///{tmp_path / 'celery-broker.db'}",
            "INSTANCE_DIR": str(tmp_path),
        },
    )
    response, _ = readyz(app)
    assert response.status_code == 200
    assert response.get_json()["broker"] is True


def test_readyz_is_ok_with_redis_as_broker(database_url, tmp_path):
    require_service(redis_reachable(), "Redis")
    app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "CELERY_BROKER_URL": REDIS_URL,
            "INSTANCE_DIR": str(tmp_path),
        },
    )
    response, _ = readyz(app)
    assert response.status_code == 200
    assert response.get_json()["broker"] is True


def app_with_broker(database_url, tmp_path, broker_url, timeout=None):
    overrides = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "CELERY_BROKER_URL": broker_url,
        "INSTANCE_DIR": str(tmp_path),
    }
    if timeout is not None:
        overrides["BROKER_TIMEOUT_SECONDS"] = timeout
    return create_app("testing", overrides)


def test_readyz_is_503_when_the_broker_is_down(database_url, tmp_path):
    app = app_with_broker(database_url, tmp_path, f"redis://127.0.0.1:{free_port()}/0", 0.5)
    response, _ = readyz(app)
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "unavailable",
        "database": True,
        "broker": False,
        "worker": False,
    }


def test_readyz_answers_within_two_seconds_when_the_broker_is_down(database_url, tmp_path):
    app = app_with_broker(database_url, tmp_path, f"redis://127.0.0.1:{free_port()}/0")
    _, seconds = readyz(app)
    assert seconds < 2


@pytest.fixture
def frozen_broker_port():
    """A port that accepts connections and never answers, like a frozen Redis."""
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield sock.getsockname()[1]


def test_readyz_answers_within_two_seconds_when_the_broker_is_frozen(
    database_url, tmp_path, frozen_broker_port
):
    app = app_with_broker(database_url, tmp_path, f"redis://127.0.0.1:{frozen_broker_port}/0")
    response, seconds = readyz(app)
    assert response.status_code == 503
    assert seconds < 2


def test_readyz_is_503_when_the_database_is_down(tmp_path):
    app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://portal@127.0.0.1:{free_port()}/x",
            "INSTANCE_DIR": str(tmp_path),
        },
    )
    response, _ = readyz(app)
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "unavailable",
        "database": False,
        "broker": True,
        "worker": False,
    }
