"""Beat's daily task for reports: the recurring progress reports' drafts."""

from celery import shared_task

from portal.extensions import db
from portal.reports import schedule


@shared_task(name="portal.reports.tasks.draft_recurring_reports")
def draft_recurring_reports() -> int:
    drafted = schedule.draft_recurring_reports()
    db.session.commit()
    return len(drafted)
