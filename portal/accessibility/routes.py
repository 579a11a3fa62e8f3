"""/tillganglighet (the statement) and its report form, open to anyone; the admins' list of
reports and their editor of the statement under /admin/tillganglighet."""

import logging

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.accessibility import bp, services
from portal.accessibility.forms import BarrierReportForm, StatementForm
from portal.accessibility.models import REPORT_STATUSES, BarrierReport
from portal.core.forms import flash_success, press_button, save_form
from portal.core.i18n import _l, translated
from portal.core.pagination import requested_page
from portal.core.permissions import require_role
from portal.extensions import db, limiter

log = logging.getLogger(__name__)

REPORTS_PER_PAGE = 50
THANKS = _l("Tack! Det du skrev har skickats till länsbiblioteket.")


def report_limit() -> str:
    return current_app.config["BARRIER_REPORT_LIMIT"]


@bp.route("/tillganglighet")
def statement():
    return render_template("accessibility/statement.html", statement=services.current_statement())


@bp.route("/tillganglighet/rapportera-brist", methods=["GET", "POST"])
@limiter.limit(report_limit, methods=["POST"])
def report_barrier():
    """Anyone may report, logged in or not. The footer's link names the page it was on
    (?sida=); a signed-in person finds their name and address filled in, to keep or clear."""
    form = BarrierReportForm()
    if request.method == "GET":
        form.page.data = (request.args.get("sida") or "")[:500]
        if current_user.is_authenticated:
            form.contact_name.data = current_user.name
            form.contact_email.data = current_user.email
    elif form.is_from_a_bot():
        # Answered as a real report is, so the bot learns nothing; nothing is kept or sent.
        log.info("Barrier report dropped: the honeypot field was filled in")
        flash_success(THANKS)
        return redirect(url_for("accessibility.statement"))
    response = save_form(
        form,
        lambda: services.report_barrier(
            form.kind.data,
            form.page.data,
            form.description.data,
            form.contact_name.data,
            form.contact_email.data,
        ),
        THANKS,
        url_for("accessibility.statement"),
    )
    return response or render_template("accessibility/report.html", form=form)


@bp.route("/admin/tillganglighet")
@require_role("admin")
def reports():
    status = request.args.get("status")
    status = status if status in REPORT_STATUSES else None
    page = db.paginate(
        services.reports_query(status),
        page=requested_page(),
        per_page=REPORTS_PER_PAGE,
        error_out=False,
    )
    return render_template(
        "accessibility/reports.html",
        page=page,
        counts=services.report_counts(),
        statuses=translated(REPORT_STATUSES),
        selected_status=status,
        recipients=services.report_recipients(),
    )


@bp.route("/admin/tillganglighet/redogorelse", methods=["GET", "POST"])
@require_role("admin")
def edit_statement():
    form = StatementForm()
    if request.method == "GET":
        current = services.current_statement()
        form.body.data, form.assessed_on.data = current.body, current.assessed_on
    response = save_form(
        form,
        lambda: services.save_statement(
            current_user._get_current_object(), form.body.data, form.assessed_on.data
        ),
        _l("Tillgänglighetsredogörelsen är sparad."),
        url_for("accessibility.statement"),
    )
    return response or render_template("accessibility/edit_statement.html", form=form)


@bp.route("/admin/tillganglighet/<id:report_id>/status", methods=["POST"])
@require_role("admin")
def set_report_status(report_id: int):
    report = db.get_or_404(BarrierReport, report_id)
    status = request.form.get("status", "")
    listing = url_for("accessibility.reports", status=request.args.get("status"))

    def refused(error):
        flash(str(error.message), "error")
        return redirect(listing)

    return press_button(
        lambda: services.set_report_status(current_user._get_current_object(), report, status),
        _l("Rapporten är markerad som hanterad.")
        if status == "handled"
        else _l("Rapporten är markerad som ny."),
        listing,
        refused,
    )
