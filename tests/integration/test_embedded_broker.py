"""The laptop default: kombu's SQLAlchemy transport on SQLite, `.eml` files instead of SMTP."""

import email
import email.policy

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.notifications.models import OutboundEmail
from proof.processes import wait_until
from tests.notifications.factories import queue_reset_email

pytestmark = [
    pytest.mark.integration,
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]


@pytest.fixture
def broker_url(tmp_path):
    return f"sqla+sqlite:///{tmp_path / 'broker.db'}"


def test_worker_on_the_embedded_broker_writes_the_email_as_an_eml_file(
    app, celery_worker, tmp_path
):
    outbox_dir = tmp_path / "outbox"
    celery_worker(MAIL_BACKEND="file", MAIL_OUTBOX_DIR=str(outbox_dir))

    row = queue_reset_email("karin@kramfors.example", name="Karin Ek")

    (path,) = wait_until(lambda: list(outbox_dir.glob("*.eml")), message="the .eml file")
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert (message["To"], message["Message-ID"]) == ("karin@kramfors.example", row.message_id)
    assert "Hej Karin Ek!" in message.get_body(("plain",)).get_content()

    def sent():
        db.session.rollback()
        return db.session.scalar(select(OutboundEmail.status)) == "sent"

    wait_until(sent, message="the row to be marked sent")
