"""Celery tasks for accounts: beat's purge of the rows of ended and expired sessions."""

from celery import shared_task

from portal.accounts import services
from portal.extensions import db


@shared_task(name="portal.accounts.tasks.purge_sessions")
def purge_sessions() -> int:
    purged = services.purge_sessions()
    db.session.commit()
    return purged
