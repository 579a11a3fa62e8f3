import pytest
from argon2 import PasswordHasher

from portal.accounts import passwords


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch):
    """Argon2 at its lowest cost: these tests log in, they do not test hashing."""
    monkeypatch.setattr(
        passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )


@pytest.fixture
def visit(app):
    """Send one request in its own application context, as in production."""

    def send(client, method: str, path: str, **kwargs):
        with app.app_context():
            return client.open(path, method=method, **kwargs)

    return send
