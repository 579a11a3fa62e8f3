"""Celery tasks of the shared machinery: the worker's heartbeat."""

from celery import shared_task

from portal.core import worker_health


@shared_task(name="portal.core.tasks.record_worker_heartbeat", ignore_result=True)
def record_worker_heartbeat() -> str:
    """Beat, every WORKER_HEARTBEAT_SECONDS: proof that a worker still takes tasks."""
    return worker_health.record_heartbeat().isoformat()
