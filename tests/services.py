"""Where the real services are, and what to do when one is missing.

Outside CI a missing service skips the tests that need it; under CI=true it fails them.
"""

import os
import shutil

import pytest

from proof import processes

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


def postgres_reachable() -> bool:
    return processes.postgres_reachable(POSTGRES_ADMIN_URL)


def create_postgres_database() -> str:
    """A fresh database for this test run; returns its SQLAlchemy URL."""
    return processes.create_postgres_database(POSTGRES_ADMIN_URL)


def drop_postgres_database(url: str) -> None:
    processes.drop_postgres_database(POSTGRES_ADMIN_URL, url)


def binary(name: str) -> str | None:
    return shutil.which(name)
