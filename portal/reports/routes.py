"""A project's reports: the archive, a new draft, the editor, preview, versions, and the POST
buttons for save, refresh, review and approve. Every page needs the right to manage the
project's reports; approving needs staff or admin (the service says so)."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.accounts.permissions import STAFF_ROLES
from portal.core.errors import DomainError, PermissionDenied, ValidationError
from portal.core.forms import ButtonForm, press_button, save_form, select_choices
from portal.core.i18n import _l, translated
from portal.core.ids import parse_id
from portal.core.security import DOCUMENT_CONTENT_SECURITY_POLICY
from portal.extensions import db
from portal.projects.funding.economy import grant_of
from portal.projects.lookup import found_or_404, project_by_slug
from portal.projects.models import Grant
from portal.reports import bp, services
from portal.reports.builtins import active_templates, template_for_grant
from portal.reports.document import chart_svg, render_document
from portal.reports.forms import NewReportForm, ReportTextsForm, ReviewForm
from portal.reports.models import (
    REPORT_KINDS,
    REPORT_STATES,
    Report,
    ReportTemplate,
    ReportVersion,
)
from portal.reports.permissions import (
    can_approve_reports,
    require_manage_reports,
)
from portal.reports.template_admin import template_choices

CHOOSE = ("", _l("Välj"))


def _project(slug: str):
    project = project_by_slug(slug)
    require_manage_reports(project, current_user)
    return project


def _report(project, report_id: int) -> Report:
    return found_or_404(
        db.session.scalar(
            select(Report)
            .where(Report.id == report_id, Report.project_id == project.id)
            .options(
                selectinload(Report.versions).selectinload(ReportVersion.author),
                selectinload(Report.deliveries),
                selectinload(Report.grant).selectinload(Grant.funder),
                selectinload(Report.template),
                selectinload(Report.created_by),
                selectinload(Report.review_requested_by),
                selectinload(Report.reviewer),
                selectinload(Report.approved_by),
                selectinload(Report.sent_by),
            )
        )
    )


@bp.route("/projekt/<slug>/rapporter")
@login_required
def archive(slug: str):
    project = _project(slug)
    return render_template(
        "reports/archive.html",
        project=project,
        reports=services.reports_of(project),
        kinds=translated(REPORT_KINDS),
        states=translated(REPORT_STATES),
        active_tab="reports",
    )


def _grant_choices(project) -> list[tuple[int, str]]:
    return [
        (grant.id, f"{grant.funder.name} {grant.case_number}".strip())
        for grant in db.session.scalars(
            select(Grant)
            .where(Grant.project_id == project.id)
            .options(selectinload(Grant.funder))
            .order_by(Grant.id)
        )
    ]


@bp.route("/projekt/<slug>/rapporter/ny", methods=["GET", "POST"])
@login_required
def new(slug: str):
    project = _project(slug)
    data = None
    if request.method == "GET":
        grant_id = request.args.get("grant", type=parse_id)
        grant = grant_of(project, grant_id) if grant_id else None
        template = template_for_grant(grant, active_templates()) if grant else None
        data = {
            "grant_id": grant.id if grant else None,
            "template_id": template.id if template else None,
            "period_starts_on": grant.period_starts_on if grant else None,
        }
    form = NewReportForm(data=data)
    form.grant_id.choices = select_choices([CHOOSE, *_grant_choices(project)])
    form.template_id.choices = select_choices([CHOOSE, *template_choices()])
    response = save_form(
        form,
        lambda: services.create_report(
            project,
            grant=grant_of(project, form.grant_id.data) if form.grant_id.data else None,
            template=_template(form.template_id.data),
            kind=form.kind.data,
            period_starts_on=form.period_starts_on.data,
            period_ends_on=form.period_ends_on.data,
            actor=current_user,
        ),
        _l("Utkastet är skapat. Läs igenom och fyll i texterna."),
        lambda report: url_for("reports.show", slug=project.slug, report_id=report.id),
    )
    return response or render_template(
        "reports/new.html", project=project, form=form, active_tab="reports"
    )


def _template(template_id):
    return db.session.get(ReportTemplate, template_id) if template_id else None


def _texts_form(report, version, formdata=None):
    form = ReportTextsForm(
        formdata=formdata,
        data={
            "sections": [section.get("text", "") for section in version.sections],
            "version": str(version.number),
        },
    )
    for entry, section in zip(form.sections, version.sections, strict=False):
        entry.label.text = section["title"]
        if section.get("guidance"):
            entry.description = section["guidance"]
    return form


def _reviewer_choices(project) -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(User.id, User.name)
        .where(User.role.in_(STAFF_ROLES), User.active.is_(True), User.id != current_user.id)
        .order_by(User.name)
    )
    return [(row.id, row.name) for row in rows]


def _show(project, report, form=None, error=None, status=200):
    version = services.current_version(report)
    form = form or _texts_form(report, version)
    review_form = ReviewForm(formdata=None)
    review_form.reviewer_id.choices = select_choices(
        [("", _l("Vem som helst av personalen")), *_reviewer_choices(project)]
    )
    return (
        render_template(
            "reports/show.html",
            project=project,
            report=report,
            version=version,
            form=form,
            review_form=review_form,
            action_form=ButtonForm(formdata=None),
            may_approve=can_approve_reports(current_user),
            four_eyes=services.four_eyes_refusal(report, current_user)
            if report.state == "in_review"
            else None,
            chart_svg=chart_svg,
            kinds=translated(REPORT_KINDS),
            states=translated(REPORT_STATES),
            error=error,
            active_tab="reports",
        ),
        status,
    )


@bp.route("/projekt/<slug>/rapporter/<id:report_id>")
@login_required
def show(slug: str, report_id: int):
    project = _project(slug)
    return _show(project, _report(project, report_id))


@bp.route("/projekt/<slug>/rapporter/<id:report_id>/spara", methods=["POST"])
@login_required
def save(slug: str, report_id: int):
    project = _project(slug)
    report = _report(project, report_id)
    version = services.current_version(report)
    form = _texts_form(report, version, formdata=request.form)
    if not form.validate_on_submit():
        return _show(project, report, form=form, status=400)
    if form.version.data and form.version.data != str(version.number):
        form.form_errors.append(
            str(
                _l(
                    "Någon annan har sparat rapporten under tiden (version %(number)s). "
                    "Din text finns kvar här; jämför med den senaste versionen innan du sparar.",
                    number=version.number,
                )
            )
        )
        form.version.data = str(version.number)
        return _show(project, report, form=form, status=409)
    return save_form(
        form,
        lambda: services.save_report(
            report, [entry.data or "" for entry in form.sections], current_user
        ),
        _l("Rapporten är sparad."),
        url_for("reports.show", slug=project.slug, report_id=report.id),
        lambda error: _refused(project, report_id, error, form),
    )


def _refused(project, report_id: int, error: DomainError, form=None):
    """Show the report again with the service's message; what was typed stays."""
    if isinstance(error, PermissionDenied):
        status = 403
    elif isinstance(error, ValidationError):
        status = 400
    else:
        status = 409
    report = _report(project, report_id)
    return _show(project, report, form=form, error=str(error.message), status=status)


def _action(slug: str, report_id: int, act, message):
    project = _project(slug)
    report = _report(project, report_id)
    return press_button(
        lambda: act(report),
        message,
        url_for("reports.show", slug=project.slug, report_id=report.id),
        lambda error: _refused(project, report_id, error),
    )


@bp.route("/projekt/<slug>/rapporter/<id:report_id>/uppdatera-underlag", methods=["POST"])
@login_required
def refresh(slug: str, report_id: int):
    return _action(
        slug,
        report_id,
        lambda report: services.refresh_data(report, current_user),
        _l("Underlaget är uppdaterat i en ny version."),
    )


@bp.route("/projekt/<slug>/rapporter/<id:report_id>/granskning", methods=["POST"])
@login_required
def request_review(slug: str, report_id: int):
    def act(report):
        reviewer_id = request.form.get("reviewer_id", type=parse_id)
        reviewer = db.session.get(User, reviewer_id) if reviewer_id else None
        services.request_review(report, current_user, reviewer)

    return _action(slug, report_id, act, _l("Rapporten är skickad till granskning."))


@bp.route("/projekt/<slug>/rapporter/<id:report_id>/godkann", methods=["POST"])
@login_required
def approve(slug: str, report_id: int):
    return _action(
        slug,
        report_id,
        lambda report: services.approve(report, current_user),
        _l("Rapporten är godkänd."),
    )


@bp.route("/projekt/<slug>/rapporter/<id:report_id>/forhandsvisning")
@login_required
def preview(slug: str, report_id: int):
    """The document exactly as the funder will get it (the PDF is made from the same HTML)."""
    project = _project(slug)
    report = _report(project, report_id)
    number = request.args.get("version", type=parse_id)
    version = services.version_of(report, number) if number else None
    if number and version is None:
        abort(404)
    return render_document(report, version, on_screen=True), {
        "Content-Security-Policy": DOCUMENT_CONTENT_SECURITY_POLICY
    }


@bp.route("/projekt/<slug>/rapporter/<id:report_id>/versioner")
@login_required
def versions(slug: str, report_id: int):
    project = _project(slug)
    report = _report(project, report_id)
    latest = services.current_version(report)
    b_number = request.args.get("b", type=parse_id) or latest.number
    a_number = request.args.get("a", type=parse_id) or max(b_number - 1, 1)
    a = found_or_404(services.version_of(report, a_number))
    b = found_or_404(services.version_of(report, b_number))
    return render_template(
        "reports/versions.html",
        project=project,
        report=report,
        a=a,
        b=b,
        diffs=services.diff_versions(a, b),
        states=translated(REPORT_STATES),
        active_tab="reports",
    )
