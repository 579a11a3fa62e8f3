"""Celery made inside the app factory, as the Flask documentation shows.

Every task runs inside an application context. The broker is Redis in production and kombu's
SQLAlchemy transport on SQLite on a laptop; short socket timeouts keep a stopped or frozen broker
from holding a web request (the outbox row is the source of truth, and the beat sweep re-sends).
"""

from celery import Celery, Task
from flask import Flask


def transport_options(broker_url: str, timeout: float) -> dict:
    """Socket timeouts for Redis; kombu's SQLAlchemy transport hands its options to
    create_engine, which refuses socket settings."""
    if not broker_url.startswith(("redis://", "rediss://")):
        return {}
    return {
        "socket_timeout": timeout,
        "socket_connect_timeout": timeout,
        "max_retries": 1,
        "visibility_timeout": 3600,
    }


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
            }
        },
        "imports": ("portal.notifications.tasks",),
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
