"""The accessibility statement (read by anyone, written by admins) and the barriers anyone may
report: stored, emailed to the county library through the outbox, handled by admins."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from portal.accessibility.models import (
    REPORT_KINDS,
    REPORT_STATUSES,
    AccessibilityStatement,
    BarrierReport,
)
from portal.accessibility.statement import DEFAULT_ASSESSED_ON, default_body
from portal.accounts.models import User
from portal.accounts.services import county_library
from portal.core import audit
from portal.core.dates import STOCKHOLM, utcnow
from portal.core.errors import PermissionDenied, ValidationError
from portal.core.i18n import _l
from portal.extensions import db
from portal.notifications.outbox import queue_email

log = logging.getLogger(__name__)

# The longest page name that goes into an email's subject; the email has the whole of it.
SUBJECT_PAGE_LENGTH = 80


@dataclass(frozen=True)
class Statement:
    """The statement as the page shows it: the saved one, else the default."""

    body: str
    assessed_on: date
    updated_on: date
    is_default: bool


def saved_statement() -> AccessibilityStatement | None:
    return db.session.scalar(select(AccessibilityStatement).order_by(AccessibilityStatement.id))


def current_statement() -> Statement:
    saved = saved_statement()
    if saved is not None:
        updated_on = saved.updated_at.astimezone(STOCKHOLM).date()
        return Statement(saved.body, saved.assessed_on, updated_on, is_default=False)
    library = county_library()
    body = default_body(
        library.name if library else None, library.contact_email if library else None
    )
    return Statement(body, DEFAULT_ASSESSED_ON, DEFAULT_ASSESSED_ON, is_default=True)


def save_statement(actor: User, body: str, assessed_on: date) -> AccessibilityStatement:
    """Admins write the statement; the change is audited with the text before and after."""
    if actor.role != "admin":
        raise PermissionDenied(_l("Bara administratörer kan ändra tillgänglighetsredogörelsen."))
    body = body.strip()
    if not body:
        raise ValidationError(_l("Skriv redogörelsen."), "body")
    if assessed_on > date.today():
        raise ValidationError(_l("Bedömningen kan inte ha gjorts i framtiden."), "assessed_on")
    statement = saved_statement()
    fields = ["body", "assessed_on"]
    before = audit.snapshot(statement, fields) if statement else {}
    if statement is None:
        statement = AccessibilityStatement(body=body, assessed_on=assessed_on)
        db.session.add(statement)
    statement.body, statement.assessed_on, statement.updated_by = body, assessed_on, actor
    db.session.flush()
    after = audit.snapshot(statement, fields)
    action = "update" if before else "create"
    audit.record(
        actor,
        None,
        action,
        "accessibility_statement",
        statement.id,
        audit.changes_between(before, after),
    )
    return statement


def report_barrier(
    kind: str,
    page: str,
    description: str,
    contact_name: str | None = None,
    contact_email: str | None = None,
) -> BarrierReport:
    """Keep what was reported and queue it by email to the county library's contact address
    (the organisations table); a portal whose county library has none sends it to every
    active admin instead, so a report always reaches someone."""
    if kind not in REPORT_KINDS:
        raise ValidationError(_l("Välj vad det gäller."), "kind")
    report = BarrierReport(
        kind=kind,
        page=page.strip(),
        description=description.strip(),
        contact_name=(contact_name or "").strip() or None,
        contact_email=(contact_email or "").strip().lower() or None,
        status="new",
    )
    db.session.add(report)
    db.session.flush()
    recipients = report_recipients()
    page_name = report.page
    if len(page_name) > SUBJECT_PAGE_LENGTH:
        page_name = page_name[: SUBJECT_PAGE_LENGTH - 1] + "…"
    subject = (
        _l("Begäran om innehåll i annat format: %(page)s", page=page_name)
        if report.kind == "other_format"
        else _l("Rapporterad brist i tillgängligheten: %(page)s", page=page_name)
    )
    base_url = current_app.config["PORTAL_BASE_URL"]
    for address, language in recipients:
        queue_email(
            address,
            "barrier_report",
            subject,
            language=language,
            reply_to=report.contact_email,
            report=report,
            list_link=f"{base_url}/admin/tillganglighet",
        )
    log.info(
        "Barrier report %s (%s) about %r queued to %s",
        report.id,
        report.kind,
        report.page,
        ", ".join(address for address, _ in recipients) or "nobody",
    )
    return report


def report_recipients() -> list[tuple[str, str]]:
    """(address, language) of whoever gets a report: the county library, else the admins."""
    library = county_library()
    if library is not None and library.contact_email:
        return [(library.contact_email, "sv")]
    admins = db.session.execute(
        select(User.email, User.language)
        .where(User.role == "admin", User.active.is_(True))
        .order_by(User.id)
    )
    return [(row.email, row.language) for row in admins]


def set_report_status(actor: User, report: BarrierReport, status: str) -> BarrierReport:
    if actor.role != "admin":
        raise PermissionDenied(_l("Bara administratörer hanterar rapporterade brister."))
    if status not in REPORT_STATUSES:
        raise ValidationError(_l("Välj en status."), "status")
    before = report.status
    if before == status:
        return report
    report.status = status
    report.handled_at = utcnow() if status == "handled" else None
    report.handled_by = actor if status == "handled" else None
    audit.record(actor, None, "update", "barrier_report", report.id, {"status": [before, status]})
    return report


def reports_query(status: str | None) -> Select:
    """The reports, newest first, of one status or all."""
    query = (
        select(BarrierReport)
        .options(selectinload(BarrierReport.handled_by))
        .order_by(BarrierReport.created_at.desc(), BarrierReport.id.desc())
    )
    if status:
        query = query.where(BarrierReport.status == status)
    return query


def report_counts() -> dict[str, int]:
    rows = db.session.execute(
        select(BarrierReport.status, func.count()).group_by(BarrierReport.status)
    )
    return {status: count for status, count in rows}
