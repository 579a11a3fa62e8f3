"""Celery made inside the app factory, as the Flask documentation shows.

Every task runs inside an application context. The broker is Redis in production and kombu's
SQLAlchemy transport on SQLite on a laptop. The web's short socket timeouts keep a stopped or
frozen broker from holding a request (the outbox row is the source of truth, and the beat sweep
re-sends); the worker and beat, built by portal/worker.py with CELERY_ROLE "worker", have
patient, watched connections of their own so that they survive a frozen or restarted broker.

Delivery is at least once, never at most once: `acks_late` with `task_reject_on_worker_lost`
leaves a message on the broker until its task has finished, so a worker killed mid-task does not
take the message with it. Redis hands an unacknowledged message out again only after
`visibility_timeout`; we keep that long (an hour) because the outbox does not depend on it: the
sweep re-sends any row that is still queued or whose claim went stale, and the claim makes a
duplicate task harmless.
"""

from pathlib import Path

from celery import Celery, Task
from celery.schedules import crontab
from flask import Flask


def worker_transport_options(broker_url: str, timeout: float, heartbeat: float) -> dict:
    """The worker's and beat's Redis connection: patient, and watched.

    The timeout is long (WORKER_BROKER_TIMEOUT_SECONDS): when Redis freezes, an acknowledgement
    waits for it instead of failing, because kombu drops a failed ack after logging it and the
    message then holds a prefetch slot until the worker restarts (two freezes took both slots
    of a worker with concurrency 2). A timed-out command is retried once on a new connection;
    TCP keepalive and redis-py's health check (a PING on a connection idle for `heartbeat`
    seconds) find a connection that died with a restarted Redis before a command does. The
    consumer itself reconnects for ever (`broker_connection_max_retries`).
    """
    if not broker_url.startswith(("redis://", "rediss://")):
        return {}
    return {
        "socket_timeout": timeout,
        "socket_connect_timeout": min(timeout, 10.0),
        "socket_keepalive": True,
        "retry_on_timeout": True,
        "health_check_interval": heartbeat,
        "visibility_timeout": 3600,
    }


def transport_options(broker_url: str, timeout: float) -> dict:
    """Socket timeouts and a single connection attempt for Redis.

    `max_retries` is 0 because kombu sleeps `interval_start` (2 s) before each retry when it
    (re)connects to publish: with 1 retry a stopped Redis held every request for 2 s plus the
    timeout. One attempt, bounded by the socket timeouts, is all a web request can afford; the
    worker's own consumer reconnects with `broker_connection_retry`, which ignores this option.

    kombu's SQLAlchemy transport hands its options to create_engine, which refuses socket
    settings, so other brokers get none.
    """
    if not broker_url.startswith(("redis://", "rediss://")):
        return {}
    return {
        "socket_timeout": timeout,
        "socket_connect_timeout": timeout,
        "max_retries": 0,
        "visibility_timeout": 3600,
    }


def daily_at(clock: str) -> crontab:
    """ "07:00" as a daily schedule, in beat's timezone (Europe/Stockholm)."""
    hour, _, minute = clock.partition(":")
    if not (hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
        raise ValueError(f"a time of day like 07:00 is needed, not {clock!r}")
    return crontab(hour=int(hour), minute=int(minute))


def web_broker_settings(app: Flask) -> dict:
    """The web publishes within BROKER_TIMEOUT_SECONDS, once: the outbox row is the truth."""
    timeout = app.config["BROKER_TIMEOUT_SECONDS"]
    return {
        "broker_connection_timeout": timeout,
        "broker_transport_options": transport_options(app.config["CELERY_BROKER_URL"], timeout),
        "task_publish_retry": False,
    }


# How often the worker's connections are checked (redis-py's health check, AMQP's heartbeat).
BROKER_HEARTBEAT_SECONDS = 10


def worker_broker_settings(app: Flask) -> dict:
    """The worker and beat ride out a frozen, stopped or restarted broker (see
    `worker_transport_options`), and retry a publication (the sweep's batches) for a while."""
    timeout = app.config["WORKER_BROKER_TIMEOUT_SECONDS"]
    url = app.config["CELERY_BROKER_URL"]
    return {
        "broker_connection_timeout": timeout,
        "broker_connection_retry": True,
        "broker_connection_max_retries": None,
        "broker_heartbeat": BROKER_HEARTBEAT_SECONDS,
        "broker_transport_options": worker_transport_options(
            url, timeout, BROKER_HEARTBEAT_SECONDS
        ),
        "task_publish_retry": True,
        "task_publish_retry_policy": {
            "max_retries": 5,
            "interval_start": 0.5,
            "interval_step": 1,
            "interval_max": 5,
        },
    }


def celery_config(app: Flask) -> dict:
    if app.config["CELERY_ROLE"] == "worker":
        broker_settings = worker_broker_settings(app)
    else:
        broker_settings = web_broker_settings(app)
    return {
        "broker_url": app.config["CELERY_BROKER_URL"],
        **broker_settings,
        "task_ignore_result": True,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "broker_connection_retry_on_startup": True,
        "timezone": "Europe/Stockholm",
        "beat_schedule": {
            "worker-heartbeat": {
                "task": "portal.core.tasks.record_worker_heartbeat",
                "schedule": float(app.config["WORKER_HEARTBEAT_SECONDS"]),
                "options": {"expires": float(app.config["WORKER_HEARTBEAT_SECONDS"])},
            },
            "sweep-outbox": {
                "task": "portal.notifications.tasks.sweep_outbox",
                "schedule": float(app.config["OUTBOX_SWEEP_SECONDS"]),
            },
            "publish-due-news": {
                "task": "portal.news.tasks.publish_due_news",
                "schedule": float(app.config["NEWS_PUBLISH_SECONDS"]),
            },
            "send-deadline-reminders": {
                "task": "portal.calendar.tasks.send_deadline_reminders",
                "schedule": daily_at(app.config["DEADLINE_REMINDER_TIME"]),
            },
            "draft-recurring-reports": {
                "task": "portal.reports.tasks.draft_recurring_reports",
                "schedule": daily_at(app.config["REPORT_DRAFT_TIME"]),
            },
            "refresh-statistics": {
                "task": "portal.statistics.tasks.refresh_statistics",
                "schedule": float(app.config["STATISTICS_REFRESH_SECONDS"]),
            },
            "purge-document-bin": {
                "task": "portal.documents.tasks.purge_bin",
                "schedule": float(app.config["DOCUMENT_PURGE_SECONDS"]),
            },
            "forget-old-email-bodies": {
                "task": "portal.notifications.tasks.forget_old_email_bodies",
                "schedule": daily_at(app.config["OUTBOX_RETENTION_TIME"]),
            },
            "purge-sessions": {
                "task": "portal.accounts.tasks.purge_sessions",
                "schedule": float(app.config["SESSION_PURGE_SECONDS"]),
            },
            "daily-digest": {
                "task": "portal.notifications.tasks.send_digests",
                "schedule": crontab(minute=0, hour=app.config["DIGEST_HOUR"]),
                "args": ("daily",),
            },
            "weekly-digest": {
                "task": "portal.notifications.tasks.send_digests",
                "schedule": crontab(
                    minute=0,
                    hour=app.config["DIGEST_HOUR"],
                    day_of_week=app.config["DIGEST_WEEKDAY"],
                ),
                "args": ("weekly",),
            },
        },
        "beat_schedule_filename": str(Path(app.config["INSTANCE_DIR"]) / "celerybeat-schedule"),
        "imports": (
            "portal.core.tasks",
            "portal.accounts.tasks",
            "portal.notifications.tasks",
            "portal.news.tasks",
            "portal.calendar.tasks",
            "portal.documents.tasks",
            "portal.reports.tasks",
            "portal.statistics.tasks",
        ),
        "task_always_eager": app.config.get("CELERY_TASK_ALWAYS_EAGER", False),
    }


def celery_init_app(app: Flask) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.config_from_object(celery_config(app))
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app
