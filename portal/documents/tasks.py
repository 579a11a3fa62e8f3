"""Celery tasks for documents: text extraction after an upload commits, and beat's purge of the
bin (which also resends extraction for versions whose task never reached the broker)."""

import logging

from celery import shared_task
from sqlalchemy.orm import Session

from portal.core import after_commit
from portal.documents import recycle_bin, search_text
from portal.extensions import db

log = logging.getLogger(__name__)


@shared_task(name="portal.documents.tasks.extract_text", time_limit=300)
def extract_text(version_id: int) -> int:
    text = search_text.extract_version_text(version_id)
    db.session.commit()
    return len(text or "")


@shared_task(name="portal.documents.tasks.purge_bin")
def purge_bin() -> int:
    purged = recycle_bin.purge_bin()
    db.session.commit()
    for version_id in search_text.versions_without_text():
        if not send_extraction_task(version_id):
            break
    return len(purged)


def send_extraction_task(version_id: int) -> bool:
    try:
        extract_text.apply_async(args=[version_id], retry=False)
    except Exception as error:  # the broker is unreachable: beat's purge resends it later
        log.warning("Could not send text extraction for version %s: %s", version_id, error)
        return False
    return True


def register_commit_hooks() -> None:
    """Extraction tasks go to the broker only once the upload has committed
    (portal/core/after_commit.py)."""
    after_commit.on_commit(search_text.PENDING_TEXT, dispatch_extractions)


def dispatch_extractions(session: Session, version_ids: list[int]) -> None:
    for version_id in version_ids:
        if not send_extraction_task(version_id):
            break
