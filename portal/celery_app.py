"""Celery made inside the app factory, as the Flask documentation shows.

Every task runs inside an application context. The broker is Redis in production and kombu's
SQLAlchemy transport on SQLite on a laptop; short socket timeouts keep a stopped or frozen broker
from holding a web request (the outbox row is the source of truth, and the beat sweep re-sends).

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


def celery_config(app: Flask) -> dict:
    timeout = app.config["BROKER_TIMEOUT_SECONDS"]
    return {
        "broker_url": app.config["CELERY_BROKER_URL"],
        "task_ignore_result": True,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "broker_connection_timeout": timeout,
        "broker_connection_retry_on_startup": True,
        "broker_transport_options": transport_options(app.config["CELERY_BROKER_URL"], timeout),
        "task_publish_retry": False,
        "timezone": "Europe/Stockholm",
        "beat_schedule": {
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
