"""The Celery app for `celery -A portal.worker worker` and `celery -A portal.worker beat`."""

from portal import create_app

flask_app = create_app()
celery_app = flask_app.extensions["celery"]
