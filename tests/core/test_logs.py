"""Logs: with LOG_FORMAT=json every line is one JSON object that says what it was about."""

import io
import json
import logging

import pytest

from portal import create_app
from portal.core.logs import PortalHandler
from portal.notifications.tasks import deliver_emails
from tests import factories
from tests.notifications.factories import queue_reset_email


def portal_handler() -> PortalHandler:
    return next(h for h in logging.getLogger().handlers if isinstance(h, PortalHandler))


@pytest.fixture
def json_app(app, tmp_path):
    """A second app on the same database, logging JSON into a buffer; the first app's handler
    is put back afterwards."""
    previous = portal_handler()
    json_app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "WTF_CSRF_ENABLED": False,
            "INSTANCE_DIR": str(tmp_path),
            "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
            "LOG_FORMAT": "json",
        },
    )
    json_app.log_buffer = io.StringIO()
    portal_handler().setStream(json_app.log_buffer)
    yield json_app
    root = logging.getLogger()
    root.removeHandler(portal_handler())
    root.addHandler(previous)


def log_lines(json_app) -> list[dict]:
    return [json.loads(line) for line in json_app.log_buffer.getvalue().splitlines()]


def request_lines(json_app) -> list[dict]:
    return [line for line in log_lines(json_app) if line["logger"] == "portal.request"]


def test_each_request_is_one_json_line_with_route_status_and_duration(json_app):
    response = json_app.test_client().get("/nyheter/finns-inte-heller")

    (line,) = request_lines(json_app)
    assert line["level"] == "INFO"
    assert line["method"] == "GET"
    assert line["path"] == "/nyheter/finns-inte-heller"
    assert line["status"] == 404
    assert line["duration_ms"] >= 0
    assert line["time"].endswith("+00:00")
    assert line["request_id"] == response.headers["X-Request-ID"]


def test_a_logged_in_request_names_the_user_and_its_route(json_app):
    user = factories.make_user(role="member")
    client = json_app.test_client()
    client.post("/logga-in", data={"email": user.email, "password": factories.PASSWORD})

    client.get("/profil")

    profile = request_lines(json_app)[-1]
    assert profile["route"] == "/profil"
    assert profile["status"] == 200
    assert profile["user_id"] == user.id


def test_a_request_id_from_the_proxy_is_kept(json_app):
    json_app.test_client().get("/healthz", headers={"X-Request-ID": "proxy-abc-123456"})

    assert request_lines(json_app)[-1]["request_id"] == "proxy-abc-123456"


@pytest.mark.commits  # the outbox's status writer records on a connection of its own
def test_a_worker_line_names_the_task_and_the_emails(json_app):
    with json_app.app_context():
        email_id = queue_reset_email().id
        result = deliver_emails.apply(args=[[email_id]])

    (delivered,) = [line for line in log_lines(json_app) if line["message"].startswith("Delivered")]
    assert delivered["task_name"] == "portal.notifications.tasks.deliver_emails"
    assert delivered["task_id"] == result.id
    assert delivered["email_ids"] == [email_id]


def test_plain_lines_are_the_default_on_a_laptop(app):
    record = logging.LogRecord("portal.test", logging.INFO, __file__, 1, "Hej", None, None)

    line = portal_handler().format(record)

    assert line.endswith("INFO portal.test: Hej")


def test_an_unknown_log_format_is_refused_with_what_to_set(monkeypatch):
    monkeypatch.setenv("LOG_FORMAT", "xml")

    with pytest.raises(RuntimeError, match="LOG_FORMAT must be plain or json"):
        create_app("testing")
