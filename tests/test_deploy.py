"""Deployment: docker-compose.yml renders and is wired as the README says, and a production app
refuses to start without a secret key and sends HSTS and Secure session cookies."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import config
from portal import create_app
from tests.services import require_service

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
PORTAL_SERVICES = ("web", "worker", "beat")
SECRET = "a-long-random-production-key-for-tests"

# docker-compose 1.x prints YAML only. Debian's docker-compose is a Python script whose interpreter
# has PyYAML (a dependency of the package), so that interpreter turns the YAML into JSON for us.
YAML_TO_JSON = "import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"


def compose_interpreter(compose: str) -> str | None:
    """The Python that runs Debian's docker-compose script, or None for a compiled binary."""
    with open(compose, "rb") as script:
        first_line = script.readline(200)
    if not first_line.startswith(b"#!") or b"python" not in first_line:
        return None
    return first_line[2:].decode().split()[0]


def run_compose(tmp_path: Path, secret_key: str | None, *args: str):
    """`docker-compose config` on the file, with only the host environment we choose."""
    compose = shutil.which("docker-compose")
    require_service(compose is not None, "docker-compose")
    environment = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
    if secret_key is not None:
        environment["SECRET_KEY"] = secret_key
    empty_env_file = tmp_path / "compose.env"  # a developer's .env must not supply SECRET_KEY
    empty_env_file.write_text("")
    command = [compose, "-f", str(COMPOSE_FILE), "--env-file", str(empty_env_file), "config"]
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, env=environment, timeout=120
    )


@pytest.fixture
def compose_config(tmp_path) -> dict:
    """The rendered file, as docker-compose resolved it (interpolated, merged, normalised)."""
    rendered = run_compose(tmp_path, SECRET)
    assert rendered.returncode == 0, rendered.stderr
    interpreter = compose_interpreter(shutil.which("docker-compose"))
    require_service(interpreter is not None, "Debian's docker-compose (a Python script)")
    converted = subprocess.run(
        [interpreter, "-c", YAML_TO_JSON],
        input=rendered.stdout,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert converted.returncode == 0, converted.stderr
    return json.loads(converted.stdout)


def published_ports(service: dict) -> set[tuple[int, int]]:
    """(published, target) pairs, whichever syntax the ports were written in."""
    pairs = set()
    for port in service.get("ports", []):
        if isinstance(port, dict):
            pairs.add((int(port["published"]), int(port["target"])))
        else:
            *_, published, target = str(port).split("/")[0].split(":")
            pairs.add((int(published), int(target)))
    return pairs


def test_compose_file_is_valid_with_a_secret_key(tmp_path):
    result = run_compose(tmp_path, SECRET, "-q")

    assert result.returncode == 0, result.stderr


def test_compose_file_refuses_to_render_without_a_secret_key(tmp_path):
    result = run_compose(tmp_path, None, "-q")

    assert result.returncode != 0
    assert "set SECRET_KEY" in result.stderr


def test_compose_file_runs_the_portal_and_the_services_it_needs(compose_config):
    services = set(compose_config["services"])

    assert {"web", "worker", "beat", "postgres", "redis", "mailpit"} <= services


def test_web_worker_and_beat_run_the_same_image(compose_config):
    services = compose_config["services"]
    images = {services[name].get("image") for name in PORTAL_SERVICES}
    builds = {json.dumps(services[name].get("build"), sort_keys=True) for name in PORTAL_SERVICES}

    assert len(images) == 1 and None not in images
    assert len(builds) == 1 and builds != {"null"}


def test_web_worker_and_beat_start_after_the_migrations_have_run(compose_config):
    services = compose_config["services"]

    assert services["migrate"]["command"] == ["flask", "--app", "wsgi", "db", "upgrade"]
    for name in PORTAL_SERVICES:
        migrate = services[name]["depends_on"]["migrate"]
        assert migrate["condition"] == "service_completed_successfully", name


def test_web_is_gunicorn_published_on_port_5000(compose_config):
    web = compose_config["services"]["web"]

    assert web["command"][0] == "gunicorn"
    assert "wsgi:app" in web["command"]
    assert "0.0.0.0:8000" in web["command"]
    assert (5000, 8000) in published_ports(web)


def test_worker_and_beat_are_celery_on_the_portal_app(compose_config):
    services = compose_config["services"]

    for name in ("worker", "beat"):
        command = services[name]["command"]
        assert command[:3] == ["celery", "-A", "portal.worker"], name
        assert name in command[3:5], name


def test_beat_keeps_its_schedule_on_a_volume(compose_config):
    beat = compose_config["services"]["beat"]
    schedule = beat["command"][beat["command"].index("--schedule") + 1]
    mounts = {
        volume.split(":")[1]
        for volume in beat["volumes"]
        if volume.split(":")[0] in compose_config["volumes"]
    }

    assert str(Path(schedule).parent) in mounts


def test_web_and_worker_share_the_documents_volume(compose_config):
    """Web stores an upload; the worker extracts its text and erases it from the bin."""
    services = compose_config["services"]

    def documents_volume(service: dict) -> set[str]:
        return {
            volume.split(":")[0]
            for volume in service.get("volumes", [])
            if volume.split(":")[1] == "/var/lib/portal/documents"
            and volume.split(":")[0] in compose_config["volumes"]
        }

    assert documents_volume(services["web"])
    assert documents_volume(services["web"]) == documents_volume(services["worker"])


def test_redis_never_evicts_and_keeps_an_append_only_file(compose_config):
    redis = compose_config["services"]["redis"]
    command = " ".join(redis["command"])

    assert "--maxmemory-policy noeviction" in command
    assert "--appendonly yes" in command
    assert any(volume.split(":")[1] == "/data" for volume in redis["volumes"])


def test_postgres_has_a_volume_and_a_healthcheck(compose_config):
    postgres = compose_config["services"]["postgres"]

    assert postgres["image"].startswith("postgres:16")
    assert any(volume.split(":")[0] in compose_config["volumes"] for volume in postgres["volumes"])
    assert "pg_isready" in postgres["healthcheck"]["test"]


def test_portal_runs_in_production_on_postgres_redis_and_smtp(compose_config):
    for name in PORTAL_SERVICES:
        environment = compose_config["services"][name]["environment"]
        assert environment["PORTAL_ENV"] == "production", name
        assert environment["SECRET_KEY"] == SECRET, name
        assert environment["DATABASE_URL"].startswith("postgresql+psycopg://"), name
        assert environment["CELERY_BROKER_URL"] == "redis://redis:6379/0", name
        assert environment["RATELIMIT_STORAGE_URI"] == "redis://redis:6379/1", name
        assert environment["MAIL_BACKEND"] == "smtp", name


def production_app(tmp_path, overrides: dict | None = None):
    """A production app on a throwaway SQLite file and in-memory broker and rate-limit storage."""
    return create_app(
        "production",
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'portal.db'}",
            "INSTANCE_DIR": str(tmp_path),
            "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
            "CELERY_BROKER_URL": "memory://",
            "RATELIMIT_STORAGE_URI": "memory://",
            **(overrides or {}),
        },
    )


@pytest.fixture
def production_secret(monkeypatch) -> str:
    """SECRET_KEY set in the environment after config.py was imported, as a test can only do;
    create_app must still sign with it, not with the value read at import."""
    monkeypatch.setenv("SECRET_KEY", SECRET)
    return SECRET


def test_production_app_refuses_to_start_without_a_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        production_app(tmp_path)


def test_production_app_refuses_the_development_secret_key(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", config.DEVELOPMENT_SECRET_KEY)

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        production_app(tmp_path)


def test_production_app_refuses_a_short_secret_key(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * (config.MIN_SECRET_KEY_LENGTH - 1))

    with pytest.raises(RuntimeError, match="at least 32 characters"):
        production_app(tmp_path)


def test_production_app_starts_with_a_secret_key(tmp_path, production_secret):
    app = production_app(tmp_path)

    assert app.config["SECRET_KEY"] == production_secret
    assert app.test_client().get("/healthz").status_code == 200


@pytest.mark.parametrize("path", ["/healthz", "/logga-in", "/finns-inte"])
def test_production_responses_carry_hsts(tmp_path, production_secret, path):
    response = production_app(tmp_path).test_client().get(path)

    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_development_responses_carry_no_hsts(tmp_path):
    app = create_app(
        "development",
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'portal.db'}",
            "INSTANCE_DIR": str(tmp_path),
            "CELERY_BROKER_URL": "memory://",
            "RATELIMIT_STORAGE_URI": "memory://",
        },
    )

    assert "Strict-Transport-Security" not in app.test_client().get("/healthz").headers


def test_production_session_cookie_is_secure_httponly_and_lax(tmp_path, production_secret):
    app = production_app(tmp_path)

    response = app.test_client().get("/logga-in")  # the CSRF token starts a session

    cookie = next(
        header
        for header in response.headers.getlist("Set-Cookie")
        if header.startswith(app.config["SESSION_COOKIE_NAME"] + "=")
    )
    attributes = [part.strip() for part in cookie.split(";")]
    assert "Secure" in attributes
    assert "HttpOnly" in attributes
    assert "SameSite=Lax" in attributes


# The web process, started as gunicorn starts it (`wsgi:app`), with the broker stopped: it starts
# anyway, and has already paid for what the first task sent after a commit needs.
READY_TO_SEND = """
import sys
import wsgi
needed = ["kombu.transport.redis", "redis", "portal.notifications.tasks", "portal.news.tasks"]
print(" ".join(name for name in needed if name not in sys.modules) or "all")
print(wsgi.app.extensions["celery"].finalized)
"""


def test_a_web_process_starts_with_the_broker_down_ready_to_send_its_first_task(tmp_path):
    environment = {
        **os.environ,
        "PORTAL_ENV": "development",
        "PORTAL_INSTANCE_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.db'}",
        "CELERY_BROKER_URL": "redis://127.0.0.1:1/0",
    }
    started = subprocess.run(
        [sys.executable, "-c", READY_TO_SEND],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        timeout=120,
    )

    assert started.returncode == 0, started.stderr
    missing, finalized = started.stdout.split("\n")[:2]
    assert missing == "all", f"the first publication would still import {missing}"
    assert finalized == "True"
