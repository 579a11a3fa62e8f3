"""Celery tasks of the outbox. Tasks receive row ids, never ORM objects."""

from celery import shared_task

from portal.notifications import outbox


@shared_task(name="portal.notifications.tasks.deliver_email", acks_late=True)
def deliver_email(email_id: int) -> str:
    return outbox.deliver(email_id)


@shared_task(name="portal.notifications.tasks.sweep_outbox")
def sweep_outbox() -> int:
    """Every minute: re-send rows that are due again or whose claim went stale."""
    ids = outbox.due_email_ids()
    for email_id in ids:
        outbox.send_delivery_task(email_id)
    return len(ids)
