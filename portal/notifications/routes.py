"""Admin page "Utskick": the outbox with its queued, sent and failed emails."""

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import func, select

from portal.core.forms import press_button
from portal.core.i18n import _l
from portal.core.pagination import requested_page
from portal.core.permissions import require_role
from portal.extensions import db
from portal.notifications import bp, outbox, queries
from portal.notifications.models import EMAIL_STATUSES, OutboundEmail

PER_PAGE = 50


@bp.route("")
@require_role("admin")
def index():
    status = request.args.get("status") if request.args.get("status") in EMAIL_STATUSES else None
    recipient = (request.args.get("mottagare") or "").strip()
    query = select(OutboundEmail).order_by(OutboundEmail.created_at.desc(), OutboundEmail.id.desc())
    if status:
        query = query.where(OutboundEmail.status == status)
    if recipient:
        query = query.where(OutboundEmail.recipient.contains(recipient.lower()))
    counts = dict(
        db.session.execute(
            select(OutboundEmail.status, func.count()).group_by(OutboundEmail.status)
        ).all()
    )
    page = db.paginate(query, page=requested_page(), per_page=PER_PAGE, error_out=False)
    repeated, repeated_total = queries.emails_handed_over_more_than_once()
    return render_template(
        "notifications/outbox.html",
        page=page,
        counts=counts,
        repeated=repeated,
        repeated_total=repeated_total,
        statuses=EMAIL_STATUSES,
        selected_status=status,
        recipient=recipient,
    )


@bp.route("/<id:email_id>/forsok-igen", methods=["POST"])
@require_role("admin")
def retry(email_id: int):
    listing = url_for("notifications.index", status=request.args.get("status"))

    def refused(error):
        flash(str(error.message), "error")
        return redirect(listing)

    return press_button(
        lambda: outbox.retry_email(email_id),
        _l("E-postmeddelandet är köat igen."),
        listing,
        refused,
    )
