"""Fixtures for tests with real processes: SMTP server, Redis, Celery worker with beat.

The in-process app (the "web server" of these tests) and every worker share one database
(`database_url`: SQLite and PostgreSQL) and one broker, so an email queued through the test
client is delivered by a real worker to a real SMTP server on loopback.

The processes are started once per module, not once per test: a worker takes seconds to be
ready. Between tests the SMTP server forgets what it was offered and the faults it was told to
inject, Redis is emptied (and started again or thawed if a test stopped or froze it), and a
worker still alive is handed to the next test that asks for one with the same environment.
"""

import pytest
import redis

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


@pytest.fixture(scope="module")
def module_smtp_server():
    with running_smtp_server() as server:
        yield server


@pytest.fixture
def smtp_server(module_smtp_server):
    """The module's SMTP server; afterwards it forgets the envelopes and faults of the test."""
    yield module_smtp_server
    module_smtp_server.behave()


@pytest.fixture(scope="module")
def module_redis_server(tmp_path_factory):
    path = binary("redis-server")
    require_service(path is not None, "redis-server")
    server = RedisServer(path, free_port(), tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    if server.running:
        server.thaw()  # a frozen server would not hear SIGTERM
        server.stop()


@pytest.fixture
def redis_server(module_redis_server):
    """The module's private redis-server, which a test may stop, restart or freeze; afterwards
    it runs again, thawed, with nothing in it (no queued task, no cached page)."""
    server = module_redis_server
    yield server
    if server.running:
        server.thaw()
    else:
        server.start()
    redis.Redis(port=server.port, socket_timeout=5).flushall()


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


class WorkerPool:
    """The module's workers that outlived their test, for the next test that asks for one
    with the same environment; a worker that died, or whose Redis was started anew after its
    test, is not handed out again."""

    def __init__(self, folder):
        self.folder = folder
        self.started = 0
        self.idle: list[tuple[CeleryWorker, int | None]] = []

    def take(self, env: dict[str, str], redis_pid: int | None) -> CeleryWorker:
        for entry in self.idle:
            worker, pid = entry
            if worker.env == env and pid == redis_pid and worker.process.poll() is None:
                self.idle.remove(entry)
                worker.start_test()
                return worker
        self.stop_idle()
        self.started += 1
        worker = CeleryWorker(f"worker{self.started}", self.folder, env)
        worker.start()
        return worker

    def give_back(self, worker: CeleryWorker, redis_pid: int | None) -> None:
        if worker.process.poll() is None:
            self.idle.append((worker, redis_pid))

    def stop_idle(self) -> None:
        """A worker of another environment would take this test's tasks from the broker."""
        for worker, _ in self.idle:
            worker.stop()
        self.idle.clear()


@pytest.fixture(scope="module")
def worker_pool(tmp_path_factory):
    pool = WorkerPool(tmp_path_factory.mktemp("workers"))
    yield pool
    pool.stop_idle()


@pytest.fixture(autouse=True)
def no_idle_worker_unasked(request):
    """A test that asks for no worker gets none: the module's idle ones are stopped."""
    if "celery_worker" not in request.fixturenames:
        request.getfixturevalue("worker_pool").stop_idle()


@pytest.fixture
def celery_worker(request, app, worker_pool, database_url, broker_url, smtp_server):
    """A worker with embedded beat: `celery_worker(**env)`. A worker the test started is kept
    for the next test of the module while it is alive; its queue is emptied with Redis.

    Depends on `app`, so the test's workers are handed back before the app fixture empties the
    tables.
    """
    redis_pid = None  # the embedded broker's modules run no Redis
    if "redis_server" in request.fixturenames:
        redis_pid = request.getfixturevalue("redis_server").process.pid
    workers: list[CeleryWorker] = []
    instance = worker_pool.folder / "worker-instance"

    def start(**env: str) -> CeleryWorker:
        worker = worker_pool.take(
            {
                "PORTAL_ENV": "development",
                "PORTAL_INSTANCE_DIR": str(instance),
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
            redis_pid,
        )
        workers.append(worker)
        return worker

    yield start
    if "redis_server" in request.fixturenames:
        redis_pid = request.getfixturevalue("redis_server").process.pid  # a test may restart it
    for worker in workers:
        worker_pool.give_back(worker, redis_pid)
