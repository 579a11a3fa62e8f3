import pytest


@pytest.fixture
def visit(app):
    """Send one request in its own application context, as in production."""

    def send(client, method: str, path: str, **kwargs):
        with app.app_context():
            return client.open(path, method=method, **kwargs)

    return send
