"""Recurring progress reports: a draft after each month or quarter, for grants that ask for one.

Beat runs `draft_recurring_reports` once a day. For every grant with a `report_recurrence`, the
last period that has ended (the previous calendar month or quarter, clipped to the grant's own
period) gets a progress report drafted from the project's record, unless the grant already has
a progress report ending on that day. The draft waits for review and approval like any other
report; nothing here sends anything. The project's lead is told that a draft is waiting.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.core.dates import STOCKHOLM, utcnow
from portal.extensions import db
from portal.notifications.preferences import notify
from portal.projects.models import Grant, Project
from portal.reports.builtins import active_templates, template_for_grant
from portal.reports.models import Report
from portal.reports.services import create_report

log = logging.getLogger(__name__)

MONTHS_PER_PERIOD = {"monthly": 1, "quarterly": 3}


def period_before(recurrence: str, today: date) -> tuple[date, date]:
    """The last whole month or quarter before the one `today` falls in."""
    months = MONTHS_PER_PERIOD[recurrence]
    current_start = date(today.year, today.month - (today.month - 1) % months, 1)
    ends_on = current_start - timedelta(days=1)
    starts_on = date(ends_on.year, ends_on.month - (ends_on.month - 1) % months, 1)
    return starts_on, ends_on


def clipped_to_grant(grant: Grant, starts_on: date, ends_on: date) -> tuple[date, date] | None:
    """The part of the period inside the grant's period; None when they do not overlap."""
    if grant.period_starts_on and grant.period_starts_on > starts_on:
        starts_on = grant.period_starts_on
    if grant.period_ends_on and grant.period_ends_on < ends_on:
        ends_on = grant.period_ends_on
    return (starts_on, ends_on) if starts_on <= ends_on else None


def draft_recurring_reports(today: date | None = None) -> list[Report]:
    """Draft every recurring progress report whose period has ended; returns the new drafts."""
    today = today or utcnow().astimezone(STOCKHOLM).date()
    grants = db.session.scalars(
        select(Grant)
        .where(Grant.report_recurrence != "")
        .options(selectinload(Grant.project).selectinload(Project.lead))
        .order_by(Grant.id)
    ).all()
    if not grants:
        return []
    templates = active_templates()
    drafted = []
    for grant in grants:
        period = clipped_to_grant(grant, *period_before(grant.report_recurrence, today))
        if period is None or _has_report_ending(grant, period[1]):
            continue
        report = create_report(
            grant.project,
            grant=grant,
            template=template_for_grant(grant, templates),
            kind="progress_report",
            period_starts_on=period[0],
            period_ends_on=period[1],
            actor=None,
            is_recurring=True,
        )
        db.session.flush()
        _tell_the_lead(report)
        drafted.append(report)
    log.info("%d recurring progress reports drafted for %s", len(drafted), today)
    return drafted


def _has_report_ending(grant: Grant, ends_on: date) -> bool:
    return (
        db.session.scalar(
            select(Report.id).where(
                Report.grant_id == grant.id,
                Report.kind == "progress_report",
                Report.period_ends_on == ends_on,
            )
        )
        is not None
    )


def _tell_the_lead(report: Report) -> None:
    lead = report.project.lead
    if lead is None:
        return
    with force_locale(lead.language):
        subject = gettext(
            "Utkast till lägesrapport för %(title)s väntar på dig", title=report.project.title
        )
    base = current_app.config["PORTAL_BASE_URL"].rstrip("/")
    notify(
        [lead],
        "deadlines",
        "report_drafted",
        subject,
        link=f"{base}/projekt/{report.project.slug}/rapporter/{report.id}",
        summary=report.project.title,
        report=report,
    )
