"""Celery tasks of the outbox. Tasks receive row ids, never ORM objects."""

from celery import shared_task

from portal.notifications import outbox


@shared_task(name="portal.notifications.tasks.deliver_email", acks_late=True)
def deliver_email(email_id: int) -> str:
    return outbox.deliver(email_id)


@shared_task(name="portal.notifications.tasks.sweep_outbox")
def sweep_outbox() -> int:
    """Every minute: re-send rows that are due again or whose claim went stale."""
    outbox.fail_abandoned()
    sent = 0
    for email_id in outbox.due_email_ids():
        if not outbox.send_delivery_task(email_id):
            break  # the broker is gone again; the next sweep tries the rest
        sent += 1
    return sent
