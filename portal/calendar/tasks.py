"""Beat's daily task for the calendar: reminders of deadlines ahead and just missed."""

from celery import shared_task

from portal.calendar import reminders
from portal.extensions import db


@shared_task(name="portal.calendar.tasks.send_deadline_reminders")
def send_deadline_reminders() -> int:
    queued = reminders.send_due_reminders()
    db.session.commit()
    return queued
