"""Where the real services are, and what to do when one is missing.

Outside CI a missing service skips the tests that need it; under CI=true it fails them.
"""

import os
import shutil
import socket
import uuid
from contextlib import closing

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def require_service(available: bool, what: str) -> None:
    """Skip without the service on a laptop; fail under CI=true, where every service is required."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required under CI=true but is not available")
    pytest.skip(f"{what} not available (required under CI=true)")


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(_libpq_url(POSTGRES_ADMIN_URL), connect_timeout=3):
            return True
    except Exception:
        return False


def _libpq_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def create_postgres_database() -> str:
    """A fresh database for this test run; returns its SQLAlchemy URL."""
    import psycopg

    name = f"portal_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_libpq_url(POSTGRES_ADMIN_URL), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def drop_postgres_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(_libpq_url(POSTGRES_ADMIN_URL), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def binary(name: str) -> str | None:
    return shutil.which(name)
