"""The economy tab: grants, own contributions, budget lines and expenses of one project."""

from collections.abc import Callable

from flask import render_template, url_for
from flask_login import current_user, login_required

from portal.core.forms import ButtonForm, press_button, save_form, select_choices
from portal.core.i18n import _l, translated
from portal.core.numbers import amount_for_form
from portal.projects.blueprint import bp
from portal.projects.funding import services as funding
from portal.projects.funding.economy import (
    budget_line_choices,
    budget_line_of,
    contribution_of,
    economy_of,
    expense_of,
    financing_choices,
    funder_choices,
    grant_of,
)
from portal.projects.funding.forms import (
    BudgetLineForm,
    ContributionForm,
    ExpenseForm,
    GrantForm,
)
from portal.projects.lookup import editable_project, found_or_404, project_by_slug
from portal.projects.models import BUDGET_CATEGORIES, CONTRIBUTION_KINDS, DEADLINE_KINDS
from portal.projects.permissions import can_edit

CHOOSE = ("", _l("Välj"))


def _save(form, project, template: str, save: Callable[[], object], saved_message, **context):
    """Validate, call the one service, commit once; on an error keep what was typed."""
    economy = url_for("projects.economy", slug=project.slug)
    return save_form(form, save, saved_message, economy) or render_template(
        template, project=project, form=form, active_tab="economy", **context
    )


def _delete(project, delete: Callable[[], None], deleted_message):
    return press_button(
        delete,
        deleted_message,
        url_for("projects.economy", slug=project.slug),
        lambda error: (_economy_page(project, error=error.message), 400),
    )


@bp.route("/projekt/<slug>/ekonomi")
@login_required
def economy(slug: str):
    return _economy_page(project_by_slug(slug))


def _economy_page(project, error=None):
    return render_template(
        "projects/economy.html",
        project=project,
        economy=economy_of(project),
        may_edit=can_edit(project, current_user),
        delete_form=ButtonForm(formdata=None),
        error=error,
        categories=translated(BUDGET_CATEGORIES),
        deadline_kinds=translated(DEADLINE_KINDS),
        contribution_kinds=translated(CONTRIBUTION_KINDS),
        active_tab="economy",
    )


# --- Grants --------------------------------------------------------------------------------


def _grant_form(project, grant):
    data = None
    if grant is not None:
        data = {
            "funder_id": grant.funder_id,
            "case_number": grant.case_number,
            "amount": amount_for_form(grant.amount_ore),
            "decided_on": grant.decided_on,
            "period_starts_on": grant.period_starts_on,
            "period_ends_on": grant.period_ends_on,
            "conditions": grant.conditions,
            "report_recurrence": grant.report_recurrence,
            "deadlines": [
                {"kind": deadline.kind, "due_on": deadline.due_on} for deadline in grant.deadlines
            ]
            + [{"kind": "final_report", "due_on": None}],
        }
    form = GrantForm(data=data)
    form.funder_id.choices = select_choices([CHOOSE, *funder_choices()])
    return form


def _edit_grant(project, grant):
    form = _grant_form(project, grant)

    def save():
        funding.save_grant(
            current_user,
            project,
            grant,
            funder_id=form.funder_id.data,
            case_number=form.case_number.data,
            amount=form.amount.data,
            decided_on=form.decided_on.data,
            period_starts_on=form.period_starts_on.data,
            period_ends_on=form.period_ends_on.data,
            conditions=form.conditions.data,
            deadlines=[(entry.kind.data, entry.due_on.data) for entry in form.deadlines],
            report_recurrence=form.report_recurrence.data,
        )

    return _save(
        form, project, "projects/funding_grant.html", save, _l("Bidraget är sparat."), grant=grant
    )


@bp.route("/projekt/<slug>/ekonomi/bidrag/ny", methods=["GET", "POST"])
@login_required
def new_grant(slug: str):
    return _edit_grant(editable_project(slug), None)


@bp.route("/projekt/<slug>/ekonomi/bidrag/<id:grant_id>", methods=["GET", "POST"])
@login_required
def edit_grant(slug: str, grant_id: int):
    project = editable_project(slug)
    return _edit_grant(project, found_or_404(grant_of(project, grant_id)))


@bp.route("/projekt/<slug>/ekonomi/bidrag/<id:grant_id>/ta-bort", methods=["POST"])
@login_required
def delete_grant(slug: str, grant_id: int):
    project = editable_project(slug)
    grant = found_or_404(grant_of(project, grant_id))
    return _delete(
        project,
        lambda: funding.delete_grant(current_user, project, grant),
        _l("Bidraget är borttaget."),
    )


# --- Contributions -------------------------------------------------------------------------


def _edit_contribution(project, contribution):
    data = None
    if contribution is not None:
        data = {
            "organisation_id": contribution.organisation_id,
            "amount": amount_for_form(contribution.amount_ore),
            "kind": contribution.kind,
        }
    form = ContributionForm(data=data)
    form.organisation_id.choices = select_choices([CHOOSE, *funder_choices()])

    def save():
        funding.save_contribution(
            current_user,
            project,
            contribution,
            organisation_id=form.organisation_id.data,
            amount=form.amount.data,
            kind=form.kind.data,
        )

    return _save(
        form,
        project,
        "projects/funding_contribution.html",
        save,
        _l("Insatsen är sparad."),
        contribution=contribution,
    )


@bp.route("/projekt/<slug>/ekonomi/insatser/ny", methods=["GET", "POST"])
@login_required
def new_contribution(slug: str):
    return _edit_contribution(editable_project(slug), None)


@bp.route("/projekt/<slug>/ekonomi/insatser/<id:contribution_id>", methods=["GET", "POST"])
@login_required
def edit_contribution(slug: str, contribution_id: int):
    project = editable_project(slug)
    return _edit_contribution(project, found_or_404(contribution_of(project, contribution_id)))


@bp.route("/projekt/<slug>/ekonomi/insatser/<id:contribution_id>/ta-bort", methods=["POST"])
@login_required
def delete_contribution(slug: str, contribution_id: int):
    project = editable_project(slug)
    contribution = found_or_404(contribution_of(project, contribution_id))
    return _delete(
        project,
        lambda: funding.delete_contribution(current_user, project, contribution),
        _l("Insatsen är borttagen."),
    )


# --- Budget lines --------------------------------------------------------------------------


def _edit_budget_line(project, line):
    data = None
    if line is not None:
        source = (
            f"grant:{line.grant_id}" if line.grant_id else f"contribution:{line.contribution_id}"
        )
        data = {
            "category": line.category,
            "description": line.description,
            "planned": amount_for_form(line.planned_ore),
            "financed_by": source,
        }
    form = BudgetLineForm(data=data)
    form.financed_by.choices = select_choices([CHOOSE, *financing_choices(project)])

    def save():
        funding.save_budget_line(
            current_user,
            project,
            line,
            category=form.category.data,
            description=form.description.data,
            planned=form.planned.data,
            financed_by=form.financed_by.data,
        )

    return _save(
        form,
        project,
        "projects/funding_budget_line.html",
        save,
        _l("Budgetraden är sparad."),
        line=line,
    )


@bp.route("/projekt/<slug>/ekonomi/budget/ny", methods=["GET", "POST"])
@login_required
def new_budget_line(slug: str):
    return _edit_budget_line(editable_project(slug), None)


@bp.route("/projekt/<slug>/ekonomi/budget/<id:line_id>", methods=["GET", "POST"])
@login_required
def edit_budget_line(slug: str, line_id: int):
    project = editable_project(slug)
    return _edit_budget_line(project, found_or_404(budget_line_of(project, line_id)))


@bp.route("/projekt/<slug>/ekonomi/budget/<id:line_id>/ta-bort", methods=["POST"])
@login_required
def delete_budget_line(slug: str, line_id: int):
    project = editable_project(slug)
    line = found_or_404(budget_line_of(project, line_id))
    return _delete(
        project,
        lambda: funding.delete_budget_line(current_user, project, line),
        _l("Budgetraden är borttagen."),
    )


# --- Expenses ------------------------------------------------------------------------------


def _edit_expense(project, expense):
    data = None
    if expense is not None:
        data = {
            "spent_on": expense.spent_on,
            "amount": amount_for_form(expense.amount_ore),
            "text": expense.text,
            "budget_line_id": expense.budget_line_id,
        }
    form = ExpenseForm(data=data)
    form.budget_line_id.choices = select_choices([CHOOSE, *budget_line_choices(project)])

    def save():
        funding.save_expense(
            current_user,
            project,
            expense,
            budget_line_id=form.budget_line_id.data,
            spent_on=form.spent_on.data,
            amount=form.amount.data,
            text=form.text.data,
        )

    return _save(
        form,
        project,
        "projects/funding_expense.html",
        save,
        _l("Utgiften är sparad."),
        expense=expense,
    )


@bp.route("/projekt/<slug>/ekonomi/utgifter/ny", methods=["GET", "POST"])
@login_required
def new_expense(slug: str):
    return _edit_expense(editable_project(slug), None)


@bp.route("/projekt/<slug>/ekonomi/utgifter/<id:expense_id>", methods=["GET", "POST"])
@login_required
def edit_expense(slug: str, expense_id: int):
    project = editable_project(slug)
    return _edit_expense(project, found_or_404(expense_of(project, expense_id)))


@bp.route("/projekt/<slug>/ekonomi/utgifter/<id:expense_id>/ta-bort", methods=["POST"])
@login_required
def delete_expense(slug: str, expense_id: int):
    project = editable_project(slug)
    expense = found_or_404(expense_of(project, expense_id))
    return _delete(
        project,
        lambda: funding.delete_expense(current_user, project, expense),
        _l("Utgiften är borttagen."),
    )
