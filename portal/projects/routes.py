"""Project pages: the list with filters, the overview, the project form and the participants.
The sub-packages (plan, funding, progress, contacts) add their routes to the same blueprint."""

from dataclasses import astuple

from flask import abort, render_template, request, url_for
from flask_login import current_user, login_required

from portal.accounts.permissions import is_staff, require_staff
from portal.core.forms import ButtonForm, press_button, save_form, select_choices
from portal.core.i18n import _l, translated
from portal.core.read_cache import cached_fragment
from portal.projects import choices, models, overview, queries, services  # noqa: F401
from portal.projects.blueprint import bp
from portal.projects.forms import ParticipantForm, ProjectForm
from portal.projects.lookup import project_by_slug
from portal.projects.models import PARTICIPANT_ROLES, PROJECT_HEALTH, PROJECT_STATUSES
from portal.projects.permissions import can_edit, require_edit

CHOOSE = ("", _l("Välj"))
NO_LEAD = ("", _l("Ingen projektledare"))


@bp.route("/projekt")
@login_required
def project_list():
    filters = queries.ProjectFilters.from_args(request.args)
    body = cached_fragment(
        "projects/_list_body.html",
        *astuple(filters),
        context=lambda: {
            "listing": queries.project_list(filters),
            "statuses": translated(PROJECT_STATUSES),
            "health_labels": translated(PROJECT_HEALTH),
        },
    )
    return render_template("projects/list.html", body=body, may_create=is_staff(current_user))


@bp.route("/projekt/<slug>")
@login_required
def project(slug: str):
    found = overview.project_for_overview(slug)
    if found is None:
        abort(404)
    body = cached_fragment(
        "projects/_overview_body.html",
        slug,
        context=lambda: {
            "project": found,
            "statuses": translated(PROJECT_STATUSES),
            "health_labels": translated(PROJECT_HEALTH),
        },
    )
    return render_template(
        "projects/overview.html",
        project=found,
        body=body,
        may_edit=can_edit(found, current_user),
        active_tab="overview",
    )


def _project_form(project=None) -> ProjectForm:
    data = None
    if project is not None:
        data = {
            "version": project.version,
            "title": project.title,
            "slug": project.slug,
            "summary": project.summary,
            "description": project.description,
            "goal_area_id": project.goal_area_id,
            "secondary_goal_area_ids": [area.id for area in project.secondary_goal_areas],
            "target_group_ids": [group.id for group in project.target_groups],
            "status": project.status,
            "health": project.health,
            "health_reason": project.health_reason,
            "starts_on": project.starts_on,
            "ends_on": project.ends_on,
            "lead_id": project.lead_id,
            "team_ids": [user.id for user in project.team],
        }
    form = ProjectForm(data=data)
    areas = choices.goal_area_choices()
    if project is not None and project.goal_area_id not in {area_id for area_id, _ in areas}:
        areas.append((project.goal_area_id, project.goal_area.name))
    form.goal_area_id.choices = select_choices([CHOOSE, *areas])
    form.secondary_goal_area_ids.choices = select_choices(areas)
    form.target_group_ids.choices = select_choices(choices.target_group_choices())
    form.lead_id.choices = select_choices([NO_LEAD, *choices.staff_choices()])
    form.team_ids.choices = select_choices(choices.user_choices())
    return form


def _fields(form: ProjectForm) -> dict:
    return {
        "title": form.title.data,
        "slug": form.slug.data,
        "summary": form.summary.data,
        "description": form.description.data,
        "goal_area_id": form.goal_area_id.data,
        "secondary_goal_area_ids": form.secondary_goal_area_ids.data,
        "target_group_ids": form.target_group_ids.data,
        "status": form.status.data,
        "health": form.health.data,
        "health_reason": form.health_reason.data,
        "starts_on": form.starts_on.data,
        "ends_on": form.ends_on.data,
        "lead_id": form.lead_id.data,
        "team_ids": form.team_ids.data,
    }


@bp.route("/projekt/nytt", methods=["GET", "POST"])
@require_staff
def new_project():
    form = _project_form()
    response = save_form(
        form,
        lambda: services.create_project(current_user, **_fields(form)),
        _l("Projektet är skapat."),
        lambda created: url_for("projects.project", slug=created.slug),
    )
    return response or render_template("projects/form.html", form=form, project=None)


@bp.route("/projekt/<slug>/andra", methods=["GET", "POST"])
@login_required
def edit_project(slug: str):
    project = project_by_slug(slug)
    require_edit(project, current_user)
    form = _project_form(project)
    response = save_form(
        form,
        lambda: services.update_project(current_user, project, form.version.data, **_fields(form)),
        _l("Projektet är sparat."),
        lambda saved: url_for("projects.project", slug=saved.slug),
    )
    return response or _edit_page(project, form, ButtonForm(formdata=None))


def _edit_page(project, form: ProjectForm, delete_form: ButtonForm) -> str:
    return render_template(
        "projects/form.html",
        form=form,
        project=project,
        delete_form=delete_form,
        may_delete=is_staff(current_user),
        active_tab="overview",
    )


@bp.route("/projekt/<slug>/ta-bort", methods=["POST"])
@require_staff
def delete_project(slug: str):
    project = project_by_slug(slug)

    def refused(error):
        delete_form = ButtonForm(formdata=None)
        delete_form.form_errors.append(str(error.message))
        return _edit_page(project, _project_form(project), delete_form), 400

    return press_button(
        lambda: services.delete_project(current_user, project),
        _l("Projektet är borttaget."),
        url_for("projects.project_list"),
        refused,
    )


def _participants_page(project, form, status=200):
    return (
        render_template(
            "projects/participants.html",
            project=project,
            form=form,
            remove_form=ButtonForm(formdata=None),
            may_edit=can_edit(project, current_user),
            roles=translated(PARTICIPANT_ROLES),
            active_tab="participants",
        ),
        status,
    )


def _participant_form() -> ParticipantForm:
    form = ParticipantForm()
    form.organisation_id.choices = select_choices([CHOOSE, *choices.organisation_choices()])
    return form


@bp.route("/projekt/<slug>/deltagare")
@login_required
def participants(slug: str):
    project = overview.project_with_participants(slug)
    if project is None:
        abort(404)
    return _participants_page(project, _participant_form())


@bp.route("/projekt/<slug>/deltagare", methods=["POST"])
@login_required
def add_participant(slug: str):
    project = project_by_slug(slug)
    require_edit(project, current_user)
    form = _participant_form()
    response = save_form(
        form,
        lambda: services.add_participant(
            current_user, project, form.organisation_id.data, form.role.data
        ),
        _l("Deltagaren är tillagd."),
        url_for("projects.participants", slug=project.slug),
    )
    return response or _participants_page(project, form, 400)


@bp.route("/projekt/<slug>/deltagare/<id:participant_id>/ta-bort", methods=["POST"])
@login_required
def remove_participant(slug: str, participant_id: int):
    project = project_by_slug(slug)
    require_edit(project, current_user)
    return press_button(
        lambda: services.remove_participant(current_user, project, participant_id),
        _l("Deltagaren är borttagen."),
        url_for("projects.participants", slug=project.slug),
        lambda error: abort(404),
    )
