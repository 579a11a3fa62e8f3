"""The production configuration starts: docker-compose.yml's four commands (migrate, gunicorn,
the Celery worker and beat) run as subprocesses, each with a clean environment holding only the
variables the file passes, PORTAL_ENV=production, pointed at a fresh PostgreSQL database, a
private Redis and an SMTP server (proof/stack.py, shared with `make proof`). Each of them also
refuses to start without a key or with the development key."""

import json
import shutil
import time

import pytest
import requests
from celery import Celery

import config
from proof.compose import ComposeFile
from proof.processes import ROOT, free_port, postgres_reachable, wait_until
from proof.stack import (
    POSTGRES_ADMIN_URL,
    Portal,
    new_secret_key,
    run_values,
    running_services,
)
from tests.services import require_service

pytestmark = pytest.mark.integration

COMMANDS = ("migrate", "web", "worker", "beat")
REFUSAL = "SECRET_KEY must be set in production"


@pytest.fixture(scope="module")
def services(tmp_path_factory):
    require_service(postgres_reachable(POSTGRES_ADMIN_URL), "PostgreSQL")
    redis_server = shutil.which("redis-server")
    require_service(redis_server is not None, "redis-server")
    require_service(
        not (ROOT / ".env").exists(), "a project folder without .env (the image has none)"
    )
    folder = tmp_path_factory.mktemp("production")
    with running_services(folder, redis_server, prefix="portal_test") as running:
        yield folder, running


@pytest.fixture(scope="module")
def portal(services):
    """The compose file's commands with its variables; the values the file gives by default
    (PORTAL_BASE_URL, PROXY_FIX_HOPS=0), except for the services, the folder and the key."""
    folder, running = services
    compose = ComposeFile.load()
    values = run_values(
        compose,
        running,
        instance=folder / "instance",
        base_url="http://localhost:5000",
        proxy_hops=0,
        secret_key=new_secret_key(),
    )
    portal = Portal(folder, compose, values)
    yield portal
    portal.stop_all()


@pytest.fixture(scope="module")
def started(portal):
    """migrate to its end, then web, worker and beat at once, as compose orders them."""
    migrate = portal.run("migrate", portal.command("migrate"), timeout=180)
    processes = {"migrate": migrate}
    if migrate.returncode == 0:
        processes.update({name: portal.start(name) for name in ("web", "worker", "beat")})
    return processes


def http() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxy from this environment between us and loopback
    return session


@pytest.mark.parametrize(
    "key", [None, config.DEVELOPMENT_SECRET_KEY], ids=["missing key", "development key"]
)
def test_every_command_refuses_to_start_without_a_real_secret_key(portal, key):
    label = "missing" if key is None else "development"
    refusing = {
        name: portal.start(name, f"{name}-{label}-key", web_port=free_port(), SECRET_KEY=key)
        for name in COMMANDS
    }

    for name, process in refusing.items():
        assert process.wait(timeout=120) != 0, f"{name} started:\n{process.log_tail()}"
        assert REFUSAL in process.log(), f"{name}:\n{process.log_tail()}"


def test_migrate_upgrades_the_fresh_database_and_exits_0(started):
    migrate = started["migrate"]

    assert migrate.returncode == 0, migrate.log_tail()
    assert "Running upgrade" in migrate.log()


def test_gunicorn_boots_three_workers_that_answer_healthz_and_readyz(started, portal):
    web, url = started["web"], f"http://127.0.0.1:{portal.web_port}"

    def healthz():
        assert web.running, f"gunicorn exited:\n{web.log_tail()}"
        try:
            return http().get(url + "/healthz", timeout=5)
        except requests.RequestException:  # not listening yet, or its workers still booting
            return None

    health = wait_until(healthz, timeout=90, interval=0.2, message="gunicorn to answer")
    ready = http().get(url + "/readyz", timeout=10)

    assert health.status_code == 200
    assert ready.status_code == 200, ready.text
    body = ready.json()
    assert isinstance(body.pop("worker"), bool)  # reported, whether beat's heartbeat ran yet
    assert body == {"status": "ok", "database": True, "broker": True}
    wait_until(lambda: web.log().count("Booting worker") == 3, timeout=30, message="3 workers")


def test_celery_worker_is_ready_and_answers_a_ping(started, services):
    _, running = services
    worker = started["worker"]

    worker.wait_for_log(" ready.", timeout=90)
    client = Celery(broker=running.redis.url)
    try:
        replies = client.control.ping(timeout=10, limit=1)
    finally:
        client.close()

    assert [reply for answer in replies for reply in answer.values()] == [{"ok": "pong"}]


def test_beat_starts_and_keeps_running(started):
    beat = started["beat"]

    beat.wait_for_log("beat: Starting...", timeout=90)
    time.sleep(3)

    assert beat.running, beat.log_tail()


def test_web_worker_and_beat_log_one_json_object_per_line(started, portal):
    """The compose file sets LOG_FORMAT=json: a log collector must be able to read every line."""
    http().get(f"http://127.0.0.1:{portal.web_port}/healthz", timeout=10)
    started["worker"].wait_for_log(" ready.", timeout=90)
    started["beat"].wait_for_log("beat: Starting...", timeout=90)
    wait_until(lambda: "portal.request" in started["web"].log(), timeout=30, message="web's line")

    for name in ("web", "worker", "beat"):
        lines = [line for line in started[name].log().splitlines() if line.strip()]
        parsed = [json.loads(line) for line in lines]
        assert all({"time", "level", "logger", "message"} <= set(entry) for entry in parsed), name
    request = next(
        entry
        for entry in map(json.loads, started["web"].log().splitlines())
        if entry["logger"] == "portal.request"
    )
    assert (request["route"], request["status"]) == ("/healthz", 200)
