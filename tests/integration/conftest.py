"""Fixtures for tests with real processes: SMTP server, Redis, Celery worker with beat.

The in-process app (the "web server" of these tests) and every worker share one database
(`database_url`: SQLite and PostgreSQL) and one broker, so an email queued through the test
client is delivered by a real worker to a real SMTP server on loopback.
"""

import pytest

from portal import create_app
from portal.extensions import db
from proof.mailserver import running_smtp_server
from proof.processes import RedisServer, free_port
from tests.conftest import empty_database
from tests.integration.processes import CeleryWorker
from tests.services import binary, require_service

# Short enough that a test sees a retry, a sweep and a stale claim within seconds.
WORKER_TIMING = {
    "OUTBOX_SWEEP_SECONDS": "1",
    "OUTBOX_RETRY_BASE_SECONDS": "1",
    "OUTBOX_CLAIM_TIMEOUT_SECONDS": "3",
    "NEWS_PUBLISH_SECONDS": "1",
}


@pytest.fixture
def smtp_server():
    with running_smtp_server() as server:
        yield server


@pytest.fixture
def redis_server(tmp_path):
    """A private redis-server that a test may stop, restart or freeze."""
    path = binary("redis-server")
    require_service(path is not None, "redis-server")
    server = RedisServer(path, free_port(), tmp_path / "redis")
    server.start()
    yield server
    if server.process.poll() is None:
        server.thaw()  # a frozen server would not hear SIGTERM
        server.stop()


@pytest.fixture
def broker_url(redis_server):
    return redis_server.url


@pytest.fixture
def app(database_url, broker_url, smtp_server, tmp_path):
    """The web side: same database and broker as the worker, a short broker timeout."""
    app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "CELERY_BROKER_URL": broker_url,
            "BROKER_TIMEOUT_SECONDS": 0.5,
            "WTF_CSRF_ENABLED": False,
            "INSTANCE_DIR": str(tmp_path / "web"),
            "MAIL_BACKEND": "smtp",
            "MAIL_SERVER": smtp_server.host,
            "MAIL_PORT": smtp_server.port,
            "MAIL_USE_TLS": False,
            "MAIL_USERNAME": None,
            "MAIL_OUTBOX_DIR": str(tmp_path / "web" / "outbox"),
        },
    )
    with app.app_context():
        db.create_all()
        yield app
        empty_database()


@pytest.fixture
def celery_worker(app, database_url, broker_url, smtp_server, tmp_path):
    """Start a worker with embedded beat: `celery_worker(**env)`; stopped after the test.

    Depends on `app`, so workers are gone before the app fixture empties the tables.
    """
    workers: list[CeleryWorker] = []

    def start(**env: str) -> CeleryWorker:
        worker = CeleryWorker(
            f"worker{len(workers) + 1}",
            tmp_path / "workers",
            {
                "PORTAL_ENV": "development",
                "PORTAL_INSTANCE_DIR": str(tmp_path / "worker-instance"),
                "DATABASE_URL": database_url,
                "CELERY_BROKER_URL": broker_url,
                "MAIL_BACKEND": "smtp",
                "MAIL_SERVER": smtp_server.host,
                "MAIL_PORT": str(smtp_server.port),
                "MAIL_TIMEOUT_SECONDS": "5",
                "MAIL_USE_TLS": "0",
                "MAIL_USERNAME": "",
                **WORKER_TIMING,
                **env,
            },
        )
        workers.append(worker)
        worker.start()
        return worker

    yield start
    for worker in workers:
        worker.stop()
