"""The Celery app for `celery -A portal.worker worker` and `celery -A portal.worker beat`."""

from celery.signals import after_setup_logger, after_setup_task_logger

from portal import create_app
from portal.core.logs import format_handlers

# The worker's and beat's own broker settings (celery_app.worker_broker_settings), not the web's.
flask_app = create_app(overrides={"CELERY_ROLE": "worker"})
celery_app = flask_app.extensions["celery"]


@after_setup_logger.connect
@after_setup_task_logger.connect
def use_the_portal_log_format(logger, **kwargs) -> None:
    """Celery sets up the worker's and beat's logging itself; in JSON, its lines follow ours."""
    format_handlers(logger.handlers, flask_app.config["LOG_FORMAT"])
