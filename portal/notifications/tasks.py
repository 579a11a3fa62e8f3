"""Celery tasks of the outbox and the digests. Tasks receive row ids, never ORM objects."""

from celery import shared_task

from portal.extensions import db
from portal.notifications import claims, digests, outbox, retention


@shared_task(name="portal.notifications.tasks.deliver_email", acks_late=True)
def deliver_email(email_id: int) -> str:
    return outbox.deliver(email_id)


@shared_task(name="portal.notifications.tasks.deliver_emails", acks_late=True)
def deliver_emails(email_ids: list[int]) -> int:
    """A batch over one SMTP connection; returns how many were sent."""
    statuses = outbox.deliver_many(email_ids)
    return sum(1 for status in statuses.values() if status == "sent")


@shared_task(name="portal.notifications.tasks.sweep_outbox")
def sweep_outbox() -> int:
    """Every minute: re-send rows that are due again or whose claim went stale, in batches."""
    claims.fail_abandoned()
    return outbox.send_in_batches(claims.due_email_ids())


@shared_task(name="portal.notifications.tasks.send_digests")
def send_digests(frequency: str) -> int:
    """Beat, daily and weekly: one email per person with what waits for that digest."""
    return digests.send_digests(frequency)


@shared_task(name="portal.notifications.tasks.forget_old_email_bodies")
def forget_old_email_bodies() -> int:
    """Beat, daily: finished emails older than OUTBOX_RETENTION_DAYS lose their bodies."""
    emptied = retention.forget_old_bodies()
    db.session.commit()
    return emptied
