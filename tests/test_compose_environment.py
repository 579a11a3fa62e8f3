"""The proof and the production start test take the portal's environment from
docker-compose.yml itself (proof/compose.py): every variable the file passes, and only those,
with this run's services in place of the file's; a variable they cannot supply stops them with
its name."""

import copy
from pathlib import Path

import pytest

from proof.compose import REQUIRED, ComposeError, ComposeFile, interpolate, run_environment
from proof.processes import RedisServer
from proof.stack import Services, run_values


class FakeSMTP:
    host, port = "127.0.0.1", 2525


def run_for(compose: ComposeFile) -> dict[str, str]:
    services = Services(
        database_url="postgresql+psycopg://postgres@127.0.0.1:5432/portal_proof_x",
        redis=RedisServer("redis-server", 6390, Path("/nonexistent")),
        smtp=FakeSMTP(),
    )
    values = run_values(
        compose,
        services,
        instance=Path("/tmp/proof/instance"),
        base_url="https://127.0.0.1:8443",
        proxy_hops=1,
        secret_key="k" * 48,
    )
    return run_environment(compose, values)


def with_variable(name: str, value: str) -> ComposeFile:
    compose = ComposeFile(copy.deepcopy(ComposeFile.load().data))
    for service in ("migrate", "web", "worker", "beat"):
        compose.services[service]["environment"][name] = value
    return compose


def test_every_variable_of_the_compose_file_gets_this_runs_value():
    compose = ComposeFile.load()

    environment = run_for(compose)

    assert environment.keys() == compose.portal_environment().keys()
    assert environment["PORTAL_ENV"] == "production"
    assert environment["CELERY_BROKER_URL"] == "redis://127.0.0.1:6390/0"
    assert environment["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6390/1"
    assert (environment["MAIL_SERVER"], environment["MAIL_PORT"]) == ("127.0.0.1", "2525")
    assert environment["PORTAL_INSTANCE_DIR"] == "/tmp/proof/instance"
    assert not [value for value in environment.values() if compose.points_at_a_service(value)]


def test_a_new_variable_that_points_at_a_compose_service_stops_the_run():
    compose = with_variable("CACHE_REDIS_URL", "redis://redis:6379/2")

    with pytest.raises(ComposeError, match="CACHE_REDIS_URL=redis://redis:6379/2"):
        run_for(compose)


def test_a_new_variable_required_from_the_host_stops_the_run():
    compose = with_variable("SMTP_RELAY_TOKEN", "${SMTP_RELAY_TOKEN:?set it}")

    with pytest.raises(ComposeError, match="requires SMTP_RELAY_TOKEN"):
        run_for(compose)


def test_a_new_variable_with_a_plain_value_is_passed_as_the_file_gives_it():
    compose = with_variable("LOG_FORMAT", "${LOG_FORMAT:-json}")

    assert run_for(compose)["LOG_FORMAT"] == "json"


def test_interpolation_follows_compose():
    assert interpolate("${A:-x}", {}) == "x"
    assert interpolate("${A:-x}", {"A": ""}) == "x"
    assert interpolate("${A-x}", {"A": ""}) == ""
    assert interpolate("a$${B}c", {}) == "a${B}c"
    assert interpolate("${A:?needed}", {}) is REQUIRED
    assert interpolate("${A:?needed}", {"A": "y"}) == "y"
