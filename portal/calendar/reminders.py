"""Deadline reminders: the person responsible for a milestone (else the project's lead) and
the lead of a project with a grant report due get an email some days before (14 and 3 by
default, `DEADLINE_REMINDER_DAYS`) and the day after a deadline is missed, while it is not
done or submitted.

Beat runs `send_due_reminders` once a day. Each reminder is recorded in `deadline_reminders`
by deadline, due date and days before, so a second run (or a second beat) sends nothing
again, and a moved deadline is reminded of anew. A reminder whose day passed while beat was
down is still sent up to CATCH_UP_DAYS later, but never an earlier one once a later one is
due: a milestone created three days ahead gets the three-day reminder, not the 14-day one.
"""

import logging
from datetime import date, timedelta

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import or_, select

from portal.accounts.models import User
from portal.calendar.models import DeadlineReminder
from portal.calendar.queries import deadline_title
from portal.core.dates import STOCKHOLM, utcnow
from portal.extensions import db
from portal.notifications.preferences import notify
from portal.projects.dashboard import open_deadlines

log = logging.getLogger(__name__)

MISSED = -1  # days_before of the reminder the day after the deadline
CATCH_UP_DAYS = 2


def reminder_days(setting: str) -> list[int]:
    """ "14,3" → [14, 3, -1]: the days before, largest first, and the day after."""
    days = sorted({int(part) for part in setting.split(",") if part.strip()}, reverse=True)
    if any(day <= 0 for day in days):
        raise ValueError(f"DEADLINE_REMINDER_DAYS must be whole days above 0: {setting!r}")
    return [*days, MISSED]


def due_reminder(due_on: date, today: date, days: list[int]) -> int | None:
    """Which reminder is due today for a deadline, as days before it; None when none is.

    The latest reminder whose day has come, if that day is at most CATCH_UP_DAYS ago."""
    passed = [day for day in days if due_on - timedelta(days=day) <= today]
    if not passed:
        return None
    latest = min(passed)
    if (today - (due_on - timedelta(days=latest))).days > CATCH_UP_DAYS:
        return None
    return latest


def send_due_reminders(today: date | None = None) -> int:
    """Queue every reminder due today and record it; returns how many were queued."""
    today = today or utcnow().astimezone(STOCKHOLM).date()
    days = reminder_days(current_app.config["DEADLINE_REMINDER_DAYS"])
    first = today - timedelta(days=-MISSED + CATCH_UP_DAYS)
    last = today + timedelta(days=days[0])
    both = open_deadlines(first, last)
    due = []
    for row in db.session.execute(select(both).order_by(both.c.due_on, both.c.id)):
        days_before = due_reminder(row.due_on, today, days)
        if days_before is not None:
            due.append((row, days_before))
    if not due:
        return 0
    sent = _already_sent(due)
    people = _active_users({row.responsible_id for row, _ in due})
    queued = 0
    for row, days_before in due:
        if (row.source, row.id, row.due_on, days_before) in sent:
            continue
        person = people.get(row.responsible_id)
        if person is None:
            continue
        queue_reminder(person, row, days_before, today)
        db.session.add(
            DeadlineReminder(
                milestone_id=row.id if row.source == "milestone" else None,
                report_deadline_id=row.id if row.source == "report" else None,
                due_on=row.due_on,
                days_before=days_before,
                recipient_id=person.id,
            )
        )
        queued += 1
    db.session.flush()
    log.info("%d deadline reminders queued for %s", queued, today)
    return queued


def _already_sent(due: list) -> set[tuple]:
    milestones = [row.id for row, _ in due if row.source == "milestone"]
    reports = [row.id for row, _ in due if row.source == "report"]
    rows = db.session.execute(
        select(
            DeadlineReminder.milestone_id,
            DeadlineReminder.report_deadline_id,
            DeadlineReminder.due_on,
            DeadlineReminder.days_before,
        ).where(
            or_(
                DeadlineReminder.milestone_id.in_(milestones),
                DeadlineReminder.report_deadline_id.in_(reports),
            )
        )
    )
    return {
        (
            "milestone" if milestone_id is not None else "report",
            milestone_id if milestone_id is not None else report_id,
            due_on,
            days_before,
        )
        for milestone_id, report_id, due_on, days_before in rows
    }


def _active_users(ids: set) -> dict[int, User]:
    ids.discard(None)
    if not ids:
        return {}
    users = db.session.scalars(select(User).where(User.id.in_(ids), User.active.is_(True)))
    return {user.id: user for user in users}


def queue_reminder(person: User, deadline, days_before: int, today: date) -> None:
    """The one place a reminder is told: by email now or in a digest, as the person chose
    for deadlines."""
    with force_locale(person.language):
        title = deadline_title(deadline)
        if days_before == MISSED:
            subject = gettext(
                "Försenad: %(title)s skulle ha varit klar %(date)s",
                title=title,
                date=deadline.due_on.isoformat(),
            )
        else:
            subject = gettext(
                "Påminnelse: %(title)s senast %(date)s",
                title=title,
                date=deadline.due_on.isoformat(),
            )
    base = current_app.config["PORTAL_BASE_URL"].rstrip("/")
    notify(
        [person],
        "deadlines",
        "deadline_reminder",
        subject,
        link=f"{base}/projekt/{deadline.slug}",
        summary=deadline.project_title,
        deadline=deadline,
        title=title,
        days_left=(deadline.due_on - today).days,
    )
