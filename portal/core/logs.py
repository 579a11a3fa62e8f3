"""Log lines: plain text on a laptop, one JSON object per line in production (`LOG_FORMAT=json`).

Every line says what it was about: the request id and user id in a web process, the task name
and task id in the worker (and the email ids where the outbox logs). In JSON a web request ends
with one line giving its method, route, status and duration; in plain text the server's own
access log (Werkzeug's, or gunicorn's) does that.
"""

import logging
import re
import time
import uuid

from celery import current_task
from flask import Flask, Response, current_app, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter
from sqlalchemy import inspect

PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
REQUEST_ID_HEADER = "X-Request-ID"
# A request id from the proxy is kept when it looks like one; anything else is replaced.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{8,64}")

request_log = logging.getLogger("portal.request")


class JsonLineFormatter(JsonFormatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message and any context."""

    def __init__(self) -> None:
        super().__init__(
            ["levelname", "name", "message"],
            rename_fields={"levelname": "level", "name": "logger"},
            timestamp="time",
            json_ensure_ascii=False,
        )


class ContextFilter(logging.Filter):
    """Adds the request id and user id, or the task name and id, to every record it passes."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context():
            record.request_id = g.get("request_id")
            user_id = logged_in_user_id()
            if user_id is not None:
                record.user_id = user_id
        task = current_task
        if task and task.request.id:
            record.task_name = task.name
            record.task_id = task.request.id
        return True


def logged_in_user_id() -> int | None:
    """The id of the user Flask-Login has loaded for this request, read from the identity map:
    a log line must never query (after a failed flush the session refuses every query)."""
    state = inspect(g.get("_login_user"), raiseerr=False)
    return state.identity[0] if state is not None and state.identity else None


class PortalHandler(logging.StreamHandler):
    """The portal's own handler on the root logger, so that it can be found and replaced."""


def formatter_for(log_format: str) -> logging.Formatter:
    return JsonLineFormatter() if log_format == "json" else logging.Formatter(PLAIN_FORMAT)


def format_handlers(handlers: list[logging.Handler], log_format: str) -> None:
    """Give handlers that something else made (Celery's, in the worker) the portal's format."""
    if log_format != "json":
        return
    for handler in handlers:
        handler.setFormatter(formatter_for(log_format))
        handler.addFilter(ContextFilter())


def configure_logging(app: Flask) -> None:
    """Install the portal's handler on the root logger (once per process, replacing an older
    one) and, in JSON, the request line."""
    log_format = app.config["LOG_FORMAT"]
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, PortalHandler)]:
        root.removeHandler(handler)
    handler = PortalHandler()
    handler.setFormatter(formatter_for(log_format))
    handler.addFilter(ContextFilter())
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    # Python's warnings (Celery's about running as root, say) become log lines like the rest.
    logging.captureWarnings(True)
    # WeasyPrint logs each step of each stylesheet it parses at INFO: noise, not events.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

    app.before_request(start_request_log)
    app.after_request(finish_request_log)


def start_request_log() -> None:
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = offered if REQUEST_ID_PATTERN.fullmatch(offered) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def finish_request_log(response: Response) -> Response:
    request_id = g.get("request_id")
    if request_id:
        response.headers[REQUEST_ID_HEADER] = request_id
    if current_app.config["LOG_FORMAT"] == "json":
        started = g.get("request_started", time.perf_counter())
        request_log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "route": request.url_rule.rule if request.url_rule else None,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
    return response
