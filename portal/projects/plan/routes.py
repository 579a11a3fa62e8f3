"""Admin pages for the regional library plan (plan periods, goal areas, target groups), the
goal-area pages and the participation matrix."""

from flask import abort, render_template, url_for
from flask_login import current_user, login_required

from portal.core.forms import ButtonForm, press_button, save_form
from portal.core.i18n import _l, translated
from portal.core.permissions import require_role
from portal.extensions import db
from portal.projects.blueprint import bp
from portal.projects.models import (
    PARTICIPANT_ROLES,
    PROJECT_HEALTH,
    PROJECT_STATUSES,
    GoalArea,
    PlanPeriod,
    TargetGroup,
)
from portal.projects.plan import queries as plan_queries
from portal.projects.plan import services as plan
from portal.projects.plan.forms import GoalAreaForm, PlanPeriodForm, TargetGroupForm


def _save(form, template: str, save, saved_message, redirect_to, **context):
    """Validate, call the one service, commit once; on an error keep what was typed."""
    response = save_form(form, save, saved_message, lambda _: redirect_to())
    return response or render_template(template, form=form, **context)


# --- Plan periods ----------------------------------------------------------------------------


@bp.route("/admin/planer")
@require_role("admin")
def plan_periods():
    return render_template("admin/plan_periods.html", periods=plan.plan_periods())


@bp.route("/admin/planer/ny", methods=["GET", "POST"])
@require_role("admin")
def new_plan_period():
    return _edit_plan_period(None)


@bp.route("/admin/planer/<id:period_id>", methods=["GET", "POST"])
@require_role("admin")
def edit_plan_period(period_id: int):
    return _edit_plan_period(db.get_or_404(PlanPeriod, period_id))


def _edit_plan_period(period: PlanPeriod | None):
    form = PlanPeriodForm(obj=period)
    saved = {}

    def save():
        saved["period"] = plan.save_plan_period(
            current_user,
            period,
            name=form.name.data,
            starts_on=form.starts_on.data,
            ends_on=form.ends_on.data,
            is_current=form.is_current.data,
        )

    return _save(
        form,
        "admin/plan_period.html",
        save,
        _l("Planperioden är sparad."),
        lambda: url_for("projects.edit_plan_period", period_id=saved["period"].id),
        period=period,
        remove_form=ButtonForm(formdata=None),
    )


# --- Goal areas ------------------------------------------------------------------------------


@bp.route("/admin/planer/<id:period_id>/malomraden/ny", methods=["GET", "POST"])
@require_role("admin")
def new_goal_area(period_id: int):
    period = db.get_or_404(PlanPeriod, period_id)
    return _edit_goal_area(period, None)


@bp.route("/admin/malomraden/<id:area_id>", methods=["GET", "POST"])
@require_role("admin")
def edit_goal_area(area_id: int):
    area = db.get_or_404(GoalArea, area_id)
    return _edit_goal_area(area.plan_period, area)


def _edit_goal_area(period: PlanPeriod, area: GoalArea | None):
    form = GoalAreaForm(obj=area)

    def save():
        plan.save_goal_area(
            current_user,
            period,
            area,
            name=form.name.data,
            description=form.description.data,
            position=form.position.data,
            is_retired=form.is_retired.data,
        )

    return _save(
        form,
        "admin/plan_goal_area.html",
        save,
        _l("Målområdet är sparat."),
        lambda: url_for("projects.edit_plan_period", period_id=period.id),
        period=period,
        area=area,
        remove_form=ButtonForm(formdata=None),
    )


@bp.route("/admin/malomraden/<id:area_id>/ta-bort", methods=["POST"])
@require_role("admin")
def delete_goal_area(area_id: int):
    area = db.get_or_404(GoalArea, area_id)
    period = area.plan_period

    def refused(error):
        form = GoalAreaForm(obj=area, formdata=None)
        form.form_errors.append(str(error.message))
        page = render_template(
            "admin/plan_goal_area.html",
            form=form,
            period=period,
            area=area,
            remove_form=ButtonForm(formdata=None),
        )
        return page, 400

    return press_button(
        lambda: plan.delete_goal_area(current_user, area),
        _l("Målområdet är borttaget."),
        url_for("projects.edit_plan_period", period_id=period.id),
        refused,
    )


# --- Target groups ---------------------------------------------------------------------------


@bp.route("/admin/malgrupper", methods=["GET", "POST"])
@require_role("admin")
def target_groups():
    form = TargetGroupForm()

    def save():
        plan.save_target_group(
            current_user,
            None,
            name=form.name.data,
            position=form.position.data,
            is_retired=form.is_retired.data,
        )

    return _save(
        form,
        "admin/target_groups.html",
        save,
        _l("Målgruppen är sparad."),
        lambda: url_for("projects.target_groups"),
        groups=plan.target_groups(),
        remove_form=ButtonForm(formdata=None),
    )


@bp.route("/admin/malgrupper/<id:group_id>", methods=["GET", "POST"])
@require_role("admin")
def edit_target_group(group_id: int):
    group = db.get_or_404(TargetGroup, group_id)
    form = TargetGroupForm(obj=group)

    def save():
        plan.save_target_group(
            current_user,
            group,
            name=form.name.data,
            position=form.position.data,
            is_retired=form.is_retired.data,
        )

    return _save(
        form,
        "admin/target_group.html",
        save,
        _l("Målgruppen är sparad."),
        lambda: url_for("projects.target_groups"),
        group=group,
        remove_form=ButtonForm(formdata=None),
    )


@bp.route("/admin/malgrupper/<id:group_id>/ta-bort", methods=["POST"])
@require_role("admin")
def delete_target_group(group_id: int):
    group = db.get_or_404(TargetGroup, group_id)
    return press_button(
        lambda: plan.remove_target_group(current_user, group),
        lambda outcome: (
            _l("Målgruppen används av projekt och är avvecklad i stället för borttagen.")
            if outcome == "retired"
            else _l("Målgruppen är borttagen.")
        ),
        url_for("projects.target_groups"),
    )


# --- Pages for everyone ----------------------------------------------------------------------


@bp.route("/malomraden/<id:area_id>")
@login_required
def goal_area(area_id: int):
    page = plan_queries.goal_area_page(area_id)
    if page is None:
        abort(404)
    return render_template(
        "projects/goal_area.html",
        page=page,
        statuses=translated(PROJECT_STATUSES),
        health_labels=translated(PROJECT_HEALTH),
    )


@bp.route("/projekt/deltagande")
@login_required
def participation_matrix():
    return render_template(
        "projects/matrix.html",
        matrix=plan_queries.participation_matrix(),
        roles=translated(PARTICIPANT_ROLES),
    )
