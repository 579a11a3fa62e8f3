import pytest


@pytest.fixture
def in_request(app):
    """The service builds result links, as in a request."""
    with app.test_request_context():
        yield
