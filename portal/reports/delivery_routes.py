"""Sending a report to the funder, and its PDF."""

from flask import Response, current_app, flash, redirect, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from portal.core.forms import press_button
from portal.core.i18n import _l
from portal.extensions import db
from portal.projects.lookup import found_or_404, project_by_slug
from portal.reports import bp, delivery
from portal.reports.models import Report
from portal.reports.permissions import require_manage_reports


def _report(slug: str, report_id: int) -> Report:
    """The project's report, if the current user manages the project's reports."""
    project = project_by_slug(slug)
    require_manage_reports(project, current_user)
    return found_or_404(
        db.session.scalar(
            select(Report).where(Report.id == report_id, Report.project_id == project.id)
        )
    )


def _report_page(report: Report):
    if "reports.show" in current_app.view_functions:
        return url_for("reports.show", slug=report.project.slug, report_id=report.id)
    return url_for("projects.project", slug=report.project.slug)


@bp.route("/projekt/<slug>/rapporter/<id:report_id>/skicka", methods=["POST"])
@login_required
def send(slug: str, report_id: int):
    report = _report(slug, report_id)
    page = _report_page(report)

    def refused(error):
        flash(str(error.message), "error")
        return redirect(page)

    return press_button(
        lambda: delivery.send_report(report, current_user),
        lambda deliveries: _l(
            "Rapporten är skickad till %(recipients)s.",
            recipients=", ".join(row.recipient_email for row in deliveries),
        ),
        page,
        refused,
    )


@bp.route("/projekt/<slug>/rapporter/<id:report_id>/rapport.pdf")
@login_required
def pdf(slug: str, report_id: int):
    """The PDF that was sent for a sent report; otherwise the current version, rendered now."""
    report = _report(slug, report_id)
    response = Response(delivery.report_pdf(report), mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'inline; filename="{delivery.report_filename(report)}"'
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
