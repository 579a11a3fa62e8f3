import pytest

from portal.notifications import outbox
from proof.mailserver import running_smtp_server


@pytest.fixture
def smtp_server(app):
    """A recording SMTP server on loopback; the app's smtp backend sends to it."""
    with running_smtp_server() as server:
        app.config.update(
            MAIL_BACKEND="smtp",
            MAIL_SERVER=server.host,
            MAIL_PORT=server.port,
            MAIL_USE_TLS=False,
            MAIL_USERNAME=None,
        )
        yield server


@pytest.fixture
def dispatched(monkeypatch):
    """The email ids handed to the broker, one by one or in batches, in order (nothing reaches
    a real broker)."""
    ids: list[int] = []

    def record(email_id: int) -> bool:
        ids.append(email_id)
        return True

    def record_batch(email_ids: list[int]) -> bool:
        ids.extend(email_ids)
        return True

    monkeypatch.setattr(outbox, "send_delivery_task", record)
    monkeypatch.setattr(outbox, "send_delivery_batch", record_batch)
    return ids
