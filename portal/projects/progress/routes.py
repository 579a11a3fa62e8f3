"""Milestones, updates, indicators and history tabs of a project; following a project."""

from datetime import date

from flask import abort, render_template, request, url_for
from flask_login import current_user, login_required

from portal.accounts.permissions import is_staff
from portal.core.forms import ButtonForm, press_button, save_form, select_choices
from portal.core.i18n import _l, translated
from portal.core.numbers import format_number
from portal.projects.blueprint import bp
from portal.projects.lookup import editable_project, found_or_404, project_by_slug
from portal.projects.models import PROJECT_HEALTH
from portal.projects.permissions import (
    can_edit,
    can_post_update,
)
from portal.projects.progress import audit_log  # noqa: F401  (the admins' log, /admin/logg)
from portal.projects.progress import history as project_history
from portal.projects.progress import indicators as project_indicators
from portal.projects.progress import milestones as project_milestones
from portal.projects.progress import updates as project_updates
from portal.projects.progress.forms import (
    IndicatorForm,
    MilestoneForm,
    update_form_class,
)

NOBODY = ("", _l("Ingen vald"))


def _acted(project, row, action, message, tab: str):
    """A one-button action on one row (mark done, remove)."""
    return press_button(
        lambda: action(current_user, project, row), message, url_for(tab, slug=project.slug)
    )


# --- Milestones ----------------------------------------------------------------------------


@bp.route("/projekt/<slug>/milstolpar")
@login_required
def milestones(slug: str):
    project = project_by_slug(slug)
    return render_template(
        "projects/milestones.html",
        project=project,
        milestones=project_milestones.milestones_of(project),
        may_edit=can_edit(project, current_user),
        action_form=ButtonForm(formdata=None),
        today=date.today(),
        active_tab="milestones",
    )


def _edit_milestone(project, milestone):
    data = None
    if milestone is not None:
        data = {
            "title": milestone.title,
            "due_on": milestone.due_on,
            "responsible_id": milestone.responsible_id,
            "done_on": milestone.done_on,
        }
    form = MilestoneForm(data=data)
    form.responsible_id.choices = select_choices(
        [NOBODY, *project_milestones.responsible_choices(project)]
    )
    response = save_form(
        form,
        lambda: project_milestones.save_milestone(
            current_user,
            project,
            milestone,
            title=form.title.data,
            due_on=form.due_on.data,
            responsible_id=form.responsible_id.data,
            done_on=form.done_on.data,
        ),
        _l("Milstolpen är sparad."),
        url_for("projects.milestones", slug=project.slug),
    )
    return response or render_template(
        "projects/progress_milestone.html",
        project=project,
        form=form,
        milestone=milestone,
        active_tab="milestones",
    )


@bp.route("/projekt/<slug>/milstolpar/ny", methods=["GET", "POST"])
@login_required
def new_milestone(slug: str):
    return _edit_milestone(editable_project(slug), None)


@bp.route("/projekt/<slug>/milstolpar/<id:milestone_id>", methods=["GET", "POST"])
@login_required
def edit_milestone(slug: str, milestone_id: int):
    project = editable_project(slug)
    return _edit_milestone(
        project, found_or_404(project_milestones.milestone_of(project, milestone_id))
    )


@bp.route("/projekt/<slug>/milstolpar/<id:milestone_id>/klar", methods=["POST"])
@login_required
def complete_milestone(slug: str, milestone_id: int):
    project = editable_project(slug)
    milestone = found_or_404(project_milestones.milestone_of(project, milestone_id))
    return _acted(
        project,
        milestone,
        lambda actor, project, row: project_milestones.mark_milestone_done(
            actor, project, row, date.today()
        ),
        _l("Milstolpen är markerad som klar."),
        "projects.milestones",
    )


@bp.route("/projekt/<slug>/milstolpar/<id:milestone_id>/ta-bort", methods=["POST"])
@login_required
def delete_milestone(slug: str, milestone_id: int):
    project = editable_project(slug)
    milestone = found_or_404(project_milestones.milestone_of(project, milestone_id))
    return _acted(
        project,
        milestone,
        project_milestones.delete_milestone,
        _l("Milstolpen är borttagen."),
        "projects.milestones",
    )


# --- Updates -------------------------------------------------------------------------------


def _update_form(project):
    form = update_form_class(project.indicators)()
    if form.reported_on.data is None and not form.is_submitted():
        form.reported_on.data = date.today()
    form.health.choices = select_choices([("", _l("Oförändrat")), *PROJECT_HEALTH.items()])
    form.municipality.choices = select_choices(
        [
            ("", _l("Ingen kommun")),
            *((name, name) for name in project_updates.municipality_choices(project)),
        ]
    )
    return form


def _updates_page(project, form, status=200):
    return (
        render_template(
            "projects/updates.html",
            project=project,
            updates=project_updates.updates_of(project),
            form=form,
            may_post=can_post_update(project, current_user),
            is_following=project_history.is_following(project, current_user),
            action_form=ButtonForm(formdata=None),
            health_labels=translated(PROJECT_HEALTH),
            active_tab="updates",
        ),
        status,
    )


@bp.route("/projekt/<slug>/uppdateringar", methods=["GET", "POST"])
@login_required
def updates(slug: str):
    project = project_by_slug(slug)
    if not can_post_update(project, current_user):
        if request.method == "POST":
            abort(403)
        return _updates_page(project, None)
    form = _update_form(project)
    response = save_form(
        form,
        lambda: project_updates.post_update(
            current_user,
            project,
            reported_on=form.reported_on.data,
            text=form.text.data,
            health=form.health.data,
            health_reason=form.health_reason.data,
            municipality=form.municipality.data,
            values=form.indicator_values(),
        ),
        _l("Uppdateringen är publicerad."),
        lambda update: url_for(
            "projects.updates", slug=project.slug, _anchor=f"uppdatering-{update.id}"
        ),
    )
    return response or _updates_page(project, form, 400 if form.is_submitted() else 200)


# --- Indicators ----------------------------------------------------------------------------


@bp.route("/projekt/<slug>/indikatorer")
@login_required
def indicators(slug: str):
    project = project_by_slug(slug)
    return render_template(
        "projects/indicators.html",
        project=project,
        rows=project_indicators.indicator_summary(project),
        measurements=project_indicators.measurements_of(project),
        may_edit=can_edit(project, current_user),
        action_form=ButtonForm(formdata=None),
        active_tab="indicators",
    )


def _edit_indicator(project, indicator):
    data = None
    if indicator is not None:
        data = {
            "name": indicator.name,
            "unit": indicator.unit,
            "target": format_number(indicator.target) if indicator.target else "",
            "target_group_id": indicator.target_group_id,
            "goal_area_id": indicator.goal_area_id,
        }
    form = IndicatorForm(data=data)
    form.target_group_id.choices = select_choices(
        [("", _l("Ingen särskild")), *project_indicators.target_group_choices()]
    )
    form.goal_area_id.choices = select_choices(
        [("", _l("Projektets målområde")), *project_indicators.goal_area_choices(project)]
    )
    response = save_form(
        form,
        lambda: project_indicators.save_indicator(
            current_user,
            project,
            indicator,
            name=form.name.data,
            unit=form.unit.data,
            target=form.target.data,
            target_group_id=form.target_group_id.data,
            goal_area_id=form.goal_area_id.data,
        ),
        _l("Indikatorn är sparad."),
        url_for("projects.indicators", slug=project.slug),
    )
    return response or render_template(
        "projects/progress_indicator.html",
        project=project,
        form=form,
        indicator=indicator,
        active_tab="indicators",
    )


@bp.route("/projekt/<slug>/indikatorer/ny", methods=["GET", "POST"])
@login_required
def new_indicator(slug: str):
    return _edit_indicator(editable_project(slug), None)


@bp.route("/projekt/<slug>/indikatorer/<id:indicator_id>", methods=["GET", "POST"])
@login_required
def edit_indicator(slug: str, indicator_id: int):
    project = editable_project(slug)
    return _edit_indicator(
        project, found_or_404(project_indicators.indicator_of(project, indicator_id))
    )


@bp.route("/projekt/<slug>/indikatorer/<id:indicator_id>/ta-bort", methods=["POST"])
@login_required
def delete_indicator(slug: str, indicator_id: int):
    project = editable_project(slug)
    indicator = found_or_404(project_indicators.indicator_of(project, indicator_id))
    return _acted(
        project,
        indicator,
        project_indicators.delete_indicator,
        _l("Indikatorn och dess mätningar är borttagna."),
        "projects.indicators",
    )


@bp.route("/projekt/<slug>/matningar/<id:measurement_id>/ta-bort", methods=["POST"])
@login_required
def delete_measurement(slug: str, measurement_id: int):
    project = editable_project(slug)
    measurement = found_or_404(project_indicators.measurement_of(project, measurement_id))
    return _acted(
        project,
        measurement,
        project_indicators.delete_measurement,
        _l("Mätningen är borttagen."),
        "projects.indicators",
    )


# --- History and following -----------------------------------------------------------------


@bp.route("/projekt/<slug>/historik")
@login_required
def history(slug: str):
    if not is_staff(current_user):
        abort(403)
    project = project_by_slug(slug)
    return render_template(
        "projects/history.html",
        project=project,
        entries=project_history.history_of(project),
        active_tab="history",
    )


@bp.route("/projekt/<slug>/folj", methods=["POST"])
@login_required
def follow(slug: str):
    project = project_by_slug(slug)
    return press_button(
        lambda: project_history.follow(current_user, project),
        _l("Du följer nu projektet och får e-post om nya uppdateringar."),
        url_for("projects.updates", slug=project.slug),
    )


@bp.route("/projekt/<slug>/sluta-folja", methods=["POST"])
@login_required
def unfollow(slug: str):
    project = project_by_slug(slug)
    return press_button(
        lambda: project_history.unfollow(current_user, project),
        _l("Du följer inte längre projektet."),
        url_for("projects.updates", slug=project.slug),
    )
