"""Downloads of the project list (with the list's filters) and of a project's economy.

Who may download is who may see the page: every signed-in user reads the list and the economy.
"""

from flask import request
from flask_login import login_required

from portal.core.i18n import _l, translated
from portal.exports import bp
from portal.exports.writers import download, kronor
from portal.projects import queries
from portal.projects.funding.economy import economy_of
from portal.projects.lookup import project_by_slug
from portal.projects.models import BUDGET_CATEGORIES, PROJECT_HEALTH, PROJECT_STATUSES


@bp.route("/projekt/lista.<any(csv, xlsx):file_format>")
@login_required
def project_list(file_format: str):
    filters = queries.ProjectFilters.from_args(request.args)
    statuses = translated(PROJECT_STATUSES)
    health = translated(PROJECT_HEALTH)
    headers = [
        _l("Titel"),
        _l("Planperiod"),
        _l("Målområde"),
        _l("Status"),
        _l("Läge"),
        _l("Start"),
        _l("Slut"),
        _l("Projektledare"),
    ]
    rows = [
        (
            row.title,
            row.plan_period,
            row.goal_area,
            statuses.get(row.status, row.status),
            health.get(row.health, row.health),
            row.starts_on,
            row.ends_on,
            row.lead,
        )
        for row in queries.projects_for_export(filters)
    ]
    return download(headers, rows, "projekt", file_format)


@bp.route("/projekt/<slug>/ekonomi.<any(csv, xlsx):file_format>")
@login_required
def economy(slug: str, file_format: str):
    project = project_by_slug(slug)
    return download(*economy_table(project), f"ekonomi-{project.slug}", file_format)


def economy_table(project) -> tuple[list[str], list[tuple]]:
    """Grants and own contributions with what the budget plans and spends from them, then the
    budget lines with planned, spent and remaining: one table, a "Typ" column tells them apart."""
    economy = economy_of(project)
    categories = translated(BUDGET_CATEGORIES)
    headers = [
        _l("Typ"),
        _l("Finansiär eller kategori"),
        _l("Diarienummer, slag eller beskrivning"),
        _l("Finansieras av"),
        _l("Belopp (kr)"),
        _l("Planerat (kr)"),
        _l("Utbetalt (kr)"),
        _l("Kvar (kr)"),
    ]
    kinds = {"grant": _l("Bidrag"), "contribution": _l("Egen insats")}
    rows = [
        (
            kinds[row.kind],
            row.name,
            row.detail,
            None,
            kronor(row.amount_ore),
            kronor(row.planned_ore),
            kronor(row.spent_ore),
            kronor(row.amount_ore - row.spent_ore),
        )
        for row in economy.funders
    ]
    rows += [
        (
            _l("Budgetrad"),
            categories.get(line.category, line.category),
            line.description,
            line.funder_name,
            None,
            kronor(line.planned_ore),
            kronor(line.spent_ore),
            kronor(line.left_ore),
        )
        for line in economy.lines
    ]
    rows.append(
        (
            _l("Summa"),
            None,
            None,
            None,
            kronor(economy.financing_ore),
            kronor(economy.planned_ore),
            kronor(economy.spent_ore),
            kronor(economy.financing_ore - economy.spent_ore),
        )
    )
    return headers, rows
