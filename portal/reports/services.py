"""The rules of a report to a funder: drafting, saving versions, review and approval.

State: draft → in_review → approved → sent. Any change to the text or data of a report in
review or approved sends it back to draft. A sent report is frozen: the services refuse to
change it, and a before_flush guard refuses it at the database layer too, whoever writes.
Services add to the session and leave the commit to the view.
"""

from __future__ import annotations

import difflib
import logging
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, selectinload

from portal.accounts.models import User
from portal.accounts.permissions import is_staff
from portal.core import after_commit
from portal.core.dates import utcnow
from portal.core.errors import DomainError, PermissionDenied, ValidationError
from portal.core.i18n import _l
from portal.extensions import db
from portal.projects.models import Grant, Project
from portal.reports.models import (
    REPORT_KINDS,
    Report,
    ReportTemplate,
    ReportVersion,
)
from portal.reports.permissions import can_approve_reports
from portal.reports.sources import Period, draft_section, is_source

log = logging.getLogger(__name__)


class NotAllowed(DomainError):
    """The report's state does not allow this (a sent report is frozen, say)."""


SENT_IS_FROZEN = _l("Rapporten är skickad och kan inte längre ändras.")


# --- Drafting ------------------------------------------------------------------------------


def _check_period(grant: Grant, starts_on: date | None, ends_on: date | None) -> None:
    if starts_on is None:
        raise ValidationError(
            _l("Ange periodens första dag, till exempel 2016-01-01."), field="period_starts_on"
        )
    if ends_on is None:
        raise ValidationError(
            _l("Ange periodens sista dag, till exempel 2016-06-30."), field="period_ends_on"
        )
    if ends_on < starts_on:
        raise ValidationError(
            _l("Perioden kan inte sluta före den börjar."), field="period_ends_on"
        )
    if grant.period_starts_on and starts_on < grant.period_starts_on:
        raise ValidationError(
            _l(
                "Perioden börjar före bidragets period (%(start)s–%(end)s).",
                start=grant.period_starts_on.isoformat(),
                end=grant.period_ends_on.isoformat() if grant.period_ends_on else "",
            ),
            field="period_starts_on",
        )
    if grant.period_ends_on and ends_on > grant.period_ends_on:
        raise ValidationError(
            _l(
                "Perioden slutar efter bidragets period (%(start)s–%(end)s).",
                start=grant.period_starts_on.isoformat() if grant.period_starts_on else "",
                end=grant.period_ends_on.isoformat(),
            ),
            field="period_ends_on",
        )


def _draft_sections(report: Report, template_sections: list[dict]) -> list[dict]:
    period = Period(report.project, report.grant, report.period_starts_on, report.period_ends_on)
    sections = []
    for section in template_sections:
        source = section.get("source", "narrative")
        if not is_source(source):
            source = "narrative"
        draft = draft_section(source, period)
        sections.append(
            {
                "title": section["title"],
                "source": source,
                "guidance": section.get("guidance", ""),
                "text": draft.text,
                "drafted": draft.text,
                "data": draft.data,
            }
        )
    return sections


def create_report(
    project: Project,
    *,
    grant: Grant | None,
    template: ReportTemplate | None,
    kind: str,
    period_starts_on: date | None,
    period_ends_on: date | None,
    actor: User | None,
    is_recurring: bool = False,
) -> Report:
    """A new draft, version 1 drafted from the template's sections and the project's record for
    the period. `actor` None means the portal drafted it (recurring reports)."""
    if grant is None or grant.project_id != project.id:
        raise ValidationError(_l("Välj ett bidrag i det här projektet."), field="grant_id")
    if template is None or template.is_retired:
        raise ValidationError(_l("Välj en rapportmall."), field="template_id")
    if kind not in REPORT_KINDS:
        raise ValidationError(_l("Välj lägesrapport eller slutrapport."), field="kind")
    _check_period(grant, period_starts_on, period_ends_on)
    report = Report(
        project=project,
        grant=grant,
        template=template,
        kind=kind,
        period_starts_on=period_starts_on,
        period_ends_on=period_ends_on,
        state="draft",
        is_recurring=is_recurring,
        created_by_id=actor.id if actor else None,
    )
    db.session.add(report)
    report.versions.append(
        ReportVersion(
            number=1,
            sections=_draft_sections(report, template.sections or []),
            author_id=actor.id if actor else None,
        )
    )
    db.session.flush()
    log.info(
        "Report %s for project %s drafted by %s",
        report.id,
        project.slug,
        getattr(actor, "email", "the portal"),
    )
    return report


# --- Versions ------------------------------------------------------------------------------


def current_version(report: Report) -> ReportVersion:
    """The latest version (the one shown, reviewed, approved and sent)."""
    return max(report.versions, key=lambda version: version.number)


def version_of(report: Report, number: int) -> ReportVersion | None:
    return next((version for version in report.versions if version.number == number), None)


def _refuse_if_sent(report: Report) -> None:
    if report.state == "sent":
        raise NotAllowed(SENT_IS_FROZEN)


def _new_version(report: Report, sections: list[dict], actor: User | None) -> ReportVersion:
    version = ReportVersion(
        number=current_version(report).number + 1,
        sections=sections,
        author_id=actor.id if actor else None,
    )
    report.versions.append(version)
    if report.state in ("in_review", "approved"):
        report.state = "draft"
        report.approved_by_id = None
        report.approved_at = None
    report.updated_at = utcnow()
    return version


def save_report(report: Report, sections_texts: list[str], actor: User | None) -> ReportVersion:
    """Keep the texts as a new version (the previous one stays). Unchanged texts make no new
    version; a change to a report in review or approved sends it back to draft."""
    _refuse_if_sent(report)
    latest = current_version(report)
    if len(sections_texts) != len(latest.sections):
        raise ValidationError(_l("Rapportens avsnitt har ändrats. Ladda om sidan och försök igen."))
    texts = [(text or "").replace("\r\n", "\n").strip() for text in sections_texts]
    if texts == [section.get("text", "") for section in latest.sections]:
        return latest
    sections = [
        {**section, "text": text} for section, text in zip(latest.sections, texts, strict=True)
    ]
    version = _new_version(report, sections, actor)
    db.session.flush()
    log.info(
        "Report %s saved as version %s by %s", report.id, version.number, actor and actor.email
    )
    return version


def refresh_data(report: Report, actor: User | None) -> ReportVersion:
    """A new version with every section's data drafted afresh from the project's record. A text
    nobody changed since it was drafted is drafted afresh too; a text staff wrote stays."""
    _refuse_if_sent(report)
    latest = current_version(report)
    fresh = _draft_sections(report, latest.sections)
    sections = []
    for old, new in zip(latest.sections, fresh, strict=True):
        untouched = old.get("text", "") == old.get("drafted", "")
        sections.append({**new, "text": new["text"] if untouched else old.get("text", "")})
    version = _new_version(report, sections, actor)
    db.session.flush()
    return version


@dataclass(frozen=True)
class SectionDiff:
    title: str
    changed: bool
    lines: list[tuple[str, str]]  # ("+" added, "-" removed, " " same, text)


def diff_versions(a: ReportVersion, b: ReportVersion) -> list[SectionDiff]:
    """Per section (matched by position), the lines removed from `a` and added in `b`."""
    diffs = []
    count = max(len(a.sections), len(b.sections))
    for index in range(count):
        old = a.sections[index] if index < len(a.sections) else {"title": "", "text": ""}
        new = b.sections[index] if index < len(b.sections) else {"title": "", "text": ""}
        old_lines = (old.get("text") or "").splitlines()
        new_lines = (new.get("text") or "").splitlines()
        lines = [
            (line[0], line[2:])
            for line in difflib.ndiff(old_lines, new_lines)
            if not line.startswith("?")
        ]
        diffs.append(
            SectionDiff(
                title=new.get("title") or old.get("title", ""),
                changed=old_lines != new_lines or old.get("data") != new.get("data"),
                lines=lines,
            )
        )
    return diffs


# --- Review and approval -------------------------------------------------------------------


def request_review(report: Report, actor: User, reviewer: User | None = None) -> None:
    _refuse_if_sent(report)
    if report.state != "draft":
        raise NotAllowed(_l("Bara ett utkast kan skickas till granskning."))
    if reviewer is not None and reviewer.id == actor.id:
        raise ValidationError(
            _l("Välj någon annan än dig själv som granskare."), field="reviewer_id"
        )
    if reviewer is not None and (not is_staff(reviewer) or not reviewer.active):
        raise ValidationError(_l("Välj en granskare bland personalen."), field="reviewer_id")
    report.state = "in_review"
    report.review_requested_by_id = actor.id
    report.review_requested_at = utcnow()
    report.reviewer_id = reviewer.id if reviewer else None
    report.approved_by_id = None
    report.approved_at = None
    log.info("Report %s sent for review by %s", report.id, actor.email)


def four_eyes_refusal(report: Report, user: User) -> str | None:
    """Why `user` may not approve `report` under four eyes (REPORT_FOUR_EYES, on by default),
    saying who may: None when they may. The one who asked for review and the author of the
    latest version may not; any other staff member or admin may, the chosen reviewer first."""
    if not current_app.config.get("REPORT_FOUR_EYES", True):
        return None
    if user.id not in (report.review_requested_by_id, current_version(report).author_id):
        return None
    reviewer = report.reviewer
    if reviewer is not None and reviewer.id != user.id:
        return str(
            _l(
                "Fyra ögon: du har skrivit rapporten eller skickat den till granskning och kan "
                "inte godkänna den själv. Granskaren %(name)s godkänner den, eller någon annan "
                "av länsbibliotekets personal eller administratörer.",
                name=reviewer.name,
            )
        )
    return str(
        _l(
            "Fyra ögon: du har skrivit rapporten eller skickat den till granskning och kan inte "
            "godkänna den själv. Någon annan av länsbibliotekets personal eller administratörer "
            "godkänner den."
        )
    )


def approve(report: Report, actor: User) -> None:
    """Only a report in review, only by staff or admins; under four eyes not by the one who
    asked for review nor by the author of the latest version (see four_eyes_refusal)."""
    _refuse_if_sent(report)
    if report.state != "in_review":
        raise NotAllowed(_l("Bara en rapport som granskas kan godkännas."))
    if not can_approve_reports(actor):
        raise PermissionDenied(_l("Bara länsbibliotekets personal kan godkänna rapporter."))
    refusal = four_eyes_refusal(report, actor)
    if refusal is not None:
        raise PermissionDenied(refusal)
    report.state = "approved"
    report.approved_by_id = actor.id
    report.approved_at = utcnow()
    if report.reviewer_id is None:
        report.reviewer_id = actor.id
    log.info("Report %s approved by %s", report.id, actor.email)


def reports_of(project: Project) -> list[Report]:
    return list(
        db.session.scalars(
            select(Report)
            .where(Report.project_id == project.id)
            .options(
                selectinload(Report.grant).selectinload(Grant.funder),
                selectinload(Report.deliveries),
            )
            .order_by(Report.period_starts_on.desc(), Report.id.desc())
        )
    )


# --- The database guard --------------------------------------------------------------------


def _column_changes(state) -> set[str]:
    return {
        attr.key
        for attr in state.mapper.column_attrs
        if state.attrs[attr.key].history.has_changes()
    }


def _committed_state(report: Report) -> str | None:
    """The state stored in the database (None for a new report). A state set on an expired
    report has no old value in its history, so the row is read (without an autoflush)."""
    state = inspect(report)
    if state.pending or state.transient:
        return None
    history = state.attrs.state.history
    if history.deleted:
        return history.deleted[0]
    if not history.has_changes():
        return report.state
    session = state.session
    return session.connection().scalar(
        select(Report.__table__.c.state).where(Report.__table__.c.id == report.id)
    )


def _is_marking_sent(report: Report) -> bool:
    return (
        _committed_state(report) == "approved"
        and report.state == "sent"
        and report.sent_at is not None
    )


def register_flush_hooks() -> None:
    after_commit.before_flush("sent_reports_frozen", _freeze_sent_reports)


def _freeze_sent_reports(session: Session) -> None:
    """A sent report and its versions never change, whoever writes: the only change allowed is
    the act of marking an approved report sent (state, sent_at and the sending fields in one
    flush), and new ReportDelivery rows for it (they are rows of their own, not checked here)."""
    for obj in session.dirty:
        if isinstance(obj, Report) and _committed_state(obj) == "sent":
            if _column_changes(inspect(obj)):
                raise NotAllowed(SENT_IS_FROZEN)
        elif isinstance(obj, Report) and obj.state == "sent" and not _is_marking_sent(obj):
            raise NotAllowed(_l("Bara en godkänd rapport kan skickas."))
    for obj in session.deleted:
        if isinstance(obj, Report) and _committed_state(obj) == "sent":
            raise NotAllowed(SENT_IS_FROZEN)
    for obj in [*session.new, *session.dirty, *session.deleted]:
        if not isinstance(obj, ReportVersion):
            continue
        if obj in session.dirty and not _column_changes(inspect(obj)):
            continue
        report = obj.report
        if report is None and obj.report_id is not None:
            report = session.get(Report, obj.report_id)
        if report is None or report in session.new:
            continue
        if report.state == "sent" or _committed_state(report) == "sent":
            raise NotAllowed(SENT_IS_FROZEN)
