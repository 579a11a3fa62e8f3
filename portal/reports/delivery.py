"""Sending an approved report to the funder: the PDF, one email per contact, the archive.

Only an approved report goes out. Its latest version is rendered to the standalone document and
then to PDF; the report is marked sent with that PDF in one flush (the database guard in
portal.reports.services allows exactly approved → sent), and one email per funder contact is
queued in the outbox in the same transaction, each its own row with the PDF attached and the
project lead in Reply-To, so a funder's answer reaches the project and not a no-reply box.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from slugify import slugify
from sqlalchemy import select

from portal.accounts.models import User
from portal.accounts.services import county_library
from portal.core.dates import STOCKHOLM, utcnow
from portal.core.errors import PermissionDenied
from portal.core.i18n import _l
from portal.core.markdown import markdown_text
from portal.core.pdf import render_pdf
from portal.extensions import db
from portal.notifications.outbox import queue_email
from portal.projects.contacts.services import recipients_for_grant
from portal.projects.models import FunderContact, ReportDeadline
from portal.reports.document import document_title, render_document
from portal.reports.models import REPORT_KINDS, Report, ReportDelivery, ReportVersion
from portal.reports.permissions import can_manage_reports
from portal.reports.services import NotAllowed, current_version

log = logging.getLogger(__name__)

PDF_TYPE = "application/pdf"
# How much of "what was done" the email's summary quotes before pointing to the PDF.
SUMMARY_LINES = 6


def report_filename(report: Report) -> str:
    """ "lagesrapport-bokstart-2016-01-01-2016-06-30.pdf" for a project with the slug "bokstart" """
    kind = slugify(str(REPORT_KINDS.get(report.kind, report.kind)))
    period = f"{report.period_starts_on.isoformat()}-{report.period_ends_on.isoformat()}"
    return f"{kind}-{report.project.slug}-{period}.pdf"


def render_report_pdf(report: Report, version: ReportVersion | None = None) -> bytes:
    """The PDF of a version (the latest when None), exactly as the funder would receive it."""
    return render_pdf(render_document(report, version), title=document_title(report), lang="sv")


def report_pdf(report: Report) -> bytes:
    """What the PDF link serves: the PDF that went out for a sent report, else a fresh render."""
    if report.state == "sent" and report.sent_pdf:
        return report.sent_pdf
    return render_report_pdf(report)


def recipients_of(report: Report) -> list[FunderContact]:
    return recipients_for_grant(report.grant)


@dataclass(frozen=True)
class Summary:
    """What the email body says before the PDF: the funder reads it in the inbox."""

    done_lines: list[str]
    done_more: bool


def _summary(version: ReportVersion) -> Summary:
    """The first lines of the "what was done" section (the one drafted from the updates)."""
    done = next(
        (section for section in version.sections if section.get("source") == "updates"), None
    )
    text = markdown_text((done or {}).get("text", ""))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return Summary(done_lines=lines[:SUMMARY_LINES], done_more=len(lines) > SUMMARY_LINES)


def _reply_to(report: Report, actor: User) -> str:
    lead = report.project.lead
    return lead.email if lead is not None and lead.email else actor.email


def _mark_deadline_submitted(report: Report) -> ReportDeadline | None:
    """The grant's nearest unsubmitted deadline of the same kind due on or after the period's
    end is the one this report answers."""
    deadline = db.session.scalar(
        select(ReportDeadline)
        .where(
            ReportDeadline.grant_id == report.grant_id,
            ReportDeadline.kind == report.kind,
            ReportDeadline.submitted_on.is_(None),
            ReportDeadline.due_on >= report.period_ends_on,
        )
        .order_by(ReportDeadline.due_on, ReportDeadline.id)
        .limit(1)
    )
    if deadline is not None:
        deadline.submitted_on = utcnow().astimezone(STOCKHOLM).date()
    return deadline


def send_report(report: Report, actor: User) -> list[ReportDelivery]:
    """Send an approved report to its grant's funder contacts; returns one delivery each.

    Refuses (NotAllowed, nothing queued) a report that is not approved or whose funder has no
    contact who receives reports. The view commits.
    """
    if not can_manage_reports(report.project, actor):
        raise PermissionDenied(_l("Du får inte skicka det här projektets rapporter."))
    # Two people pressing "Skicka" at once: the row lock makes the second wait and then see
    # "sent", so the funder never gets the report twice (PostgreSQL; SQLite has one writer).
    db.session.refresh(report, with_for_update=True)
    if report.state == "sent":
        raise NotAllowed(_l("Rapporten är redan skickad."))
    if report.state != "approved":
        raise NotAllowed(
            _l("Bara en godkänd rapport kan skickas till finansiären. Be en kollega godkänna den.")
        )
    recipients = recipients_of(report)
    if not recipients:
        raise NotAllowed(
            _l(
                "%(funder)s har ingen kontaktperson som får rapporter. Lägg till en under "
                "Finansiärer (/finansiarer) och skicka sedan igen.",
                funder=report.grant.funder.name,
            )
        )

    version = current_version(report)
    pdf = render_report_pdf(report, version)
    report.state = "sent"
    report.sent_at = utcnow()
    report.sent_by_id = actor.id
    report.sent_pdf = pdf
    db.session.flush()

    project, grant, lead = report.project, report.grant, report.project.lead
    kind_label = str(REPORT_KINDS.get(report.kind, report.kind))
    period = f"{report.period_starts_on.isoformat()}–{report.period_ends_on.isoformat()}"
    filename = report_filename(report)
    summary = _summary(version)
    subject = f"{kind_label}: {project.title} {period}" + (
        f" ({grant.case_number})" if grant.case_number else ""
    )
    reply_to = _reply_to(report, actor)
    sender_organisation = _sender_organisation(actor)
    deliveries = []
    for contact in recipients:
        email = queue_email(
            contact.email,
            "report_sent",
            subject,
            reply_to=reply_to,
            attachments=((filename, PDF_TYPE, pdf),),
            email_subject=subject,
            recipient_name=contact.name,
            kind_label=kind_label,
            project_title=project.title,
            period=period,
            case_number=grant.case_number,
            funder_name=grant.funder.name,
            contact_name=lead.name if lead else actor.name,
            contact_email=reply_to,
            contact_phone=(lead.phone if lead else actor.phone) or "",
            done_lines=summary.done_lines,
            done_more=summary.done_more,
            filename=filename,
            sender_name=actor.name,
            sender_organisation=sender_organisation,
        )
        delivery = ReportDelivery(
            report_id=report.id,
            recipient_name=contact.name,
            recipient_email=contact.email,
            outbound_email_id=email.id,
        )
        db.session.add(delivery)
        deliveries.append(delivery)
    _mark_deadline_submitted(report)
    db.session.flush()
    log.info(
        "Report %s of project %s sent by %s to %s",
        report.id,
        project.slug,
        actor.email,
        ", ".join(contact.email for contact in recipients),
    )
    return deliveries


def _sender_organisation(actor: User) -> str:
    """Whom the report comes from: the county library (its name is data), else the sender's
    organisation."""
    library = county_library()
    if library is not None:
        return library.name
    return actor.organisation.name if actor.organisation is not None else ""
