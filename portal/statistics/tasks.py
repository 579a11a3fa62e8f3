"""Beat's task for the statistics page: rebuild the saved figures whose data changed."""

from celery import shared_task

from portal.extensions import db
from portal.statistics import snapshots


@shared_task(name="portal.statistics.tasks.refresh_statistics")
def refresh_statistics() -> int:
    rebuilt = snapshots.refresh_stale_snapshots()
    db.session.commit()
    return rebuilt
