"""The economy for a report: financing against costs per funder, planned against spent per
budget line up to the end of the period, and what remains.

Kulturrådet's economic report wants the total costs to equal the total financing (grants plus
own contributions); the drafted text says whether they do and by how much they differ.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import case, func, literal, select, union_all

from portal.accounts.models import Organisation
from portal.core.numbers import format_money
from portal.extensions import db
from portal.projects.models import BUDGET_CATEGORIES, BudgetLine, Contribution, Expense, Grant
from portal.reports.sources.period import Draft, Period


def _line_rows(period: Period):
    in_period = Expense.spent_on.between(period.starts_on, period.ends_on)
    spent = (
        select(
            Expense.budget_line_id,
            func.sum(case((in_period, Expense.amount_ore), else_=0)).label("in_period"),
            func.sum(Expense.amount_ore).label("to_date"),
        )
        .join(BudgetLine, BudgetLine.id == Expense.budget_line_id)
        .where(BudgetLine.project_id == period.project.id, Expense.spent_on <= period.ends_on)
        .group_by(Expense.budget_line_id)
        .subquery()
    )
    grant_funder = Organisation.__table__.alias("grant_funder")
    contribution_org = Organisation.__table__.alias("contribution_org")
    return db.session.execute(
        select(
            BudgetLine.id,
            BudgetLine.category,
            BudgetLine.description,
            BudgetLine.planned_ore,
            BudgetLine.grant_id,
            BudgetLine.contribution_id,
            func.coalesce(spent.c.in_period, 0).label("in_period"),
            func.coalesce(spent.c.to_date, 0).label("to_date"),
            func.coalesce(grant_funder.c.name, contribution_org.c.name).label("funder_name"),
        )
        .outerjoin(spent, spent.c.budget_line_id == BudgetLine.id)
        .outerjoin(Grant, Grant.id == BudgetLine.grant_id)
        .outerjoin(grant_funder, grant_funder.c.id == Grant.funder_id)
        .outerjoin(Contribution, Contribution.id == BudgetLine.contribution_id)
        .outerjoin(contribution_org, contribution_org.c.id == Contribution.organisation_id)
        .where(BudgetLine.project_id == period.project.id)
        .order_by(BudgetLine.id)
    ).all()


def _financing_rows(period: Period):
    grants = (
        select(
            literal("grant").label("kind"),
            Grant.id.label("id"),
            Organisation.name.label("name"),
            Grant.case_number.label("detail"),
            Grant.amount_ore.label("amount"),
        )
        .join(Organisation, Organisation.id == Grant.funder_id)
        .where(Grant.project_id == period.project.id)
    )
    contributions = (
        select(
            literal("contribution").label("kind"),
            Contribution.id.label("id"),
            Organisation.name.label("name"),
            Contribution.kind.label("detail"),
            Contribution.amount_ore.label("amount"),
        )
        .join(Organisation, Organisation.id == Contribution.organisation_id)
        .where(Contribution.project_id == period.project.id)
    )
    rows = union_all(grants, contributions).subquery()
    return db.session.execute(select(rows).order_by(rows.c.kind.desc(), rows.c.id)).all()


def draft_economy(period: Period) -> Draft:
    lines = _line_rows(period)
    financing = _financing_rows(period)
    per_source: dict[tuple[str, int], list[int]] = {}
    for line in lines:
        key = ("grant", line.grant_id) if line.grant_id else ("contribution", line.contribution_id)
        planned_spent = per_source.setdefault(key, [0, 0])
        planned_spent[0] += line.planned_ore
        planned_spent[1] += line.to_date

    financing_ore = sum(row.amount for row in financing)
    planned_ore = sum(line.planned_ore for line in lines)
    spent_ore = sum(line.to_date for line in lines)
    spent_in_period_ore = sum(line.in_period for line in lines)
    remaining_ore = planned_ore - spent_ore
    own = _("Egen insats")

    funders_table = {
        "caption": _("Finansiering och kostnader per finansiär"),
        "columns": [
            _("Finansiär"),
            _("Diarienummer eller slag"),
            _("Finansiering"),
            _("Planerade kostnader"),
            _("Utbetalt till och med %(date)s", date=period.ends_on.isoformat()),
            _("Kvar"),
        ],
        "numeric": [False, False, True, True, True, True],
        "rows": [
            [
                row.name,
                (row.detail or "–") if row.kind == "grant" else own,
                format_money(row.amount),
                format_money(per_source.get((row.kind, row.id), [0, 0])[0]),
                format_money(per_source.get((row.kind, row.id), [0, 0])[1]),
                format_money(row.amount - per_source.get((row.kind, row.id), [0, 0])[1]),
            ]
            for row in financing
        ]
        + [
            [
                _("Summa"),
                "",
                format_money(financing_ore),
                format_money(planned_ore),
                format_money(spent_ore),
                format_money(financing_ore - spent_ore),
            ]
        ],
    }
    lines_table = {
        "caption": _("Budget och utfall per budgetrad"),
        "columns": [
            _("Kostnad"),
            _("Finansieras av"),
            _("Planerat"),
            _("Utbetalt under perioden"),
            _("Utbetalt till och med %(date)s", date=period.ends_on.isoformat()),
            _("Kvar"),
        ],
        "numeric": [False, False, True, True, True, True],
        "rows": [
            [
                f"{BUDGET_CATEGORIES.get(line.category, line.category)}"
                + (f": {line.description}" if line.description else ""),
                line.funder_name or "–",
                format_money(line.planned_ore),
                format_money(line.in_period),
                format_money(line.to_date),
                format_money(line.planned_ore - line.to_date),
            ]
            for line in lines
        ]
        + [
            [
                _("Summa"),
                "",
                format_money(planned_ore),
                format_money(spent_in_period_ore),
                format_money(spent_ore),
                format_money(remaining_ore),
            ]
        ],
    }
    facts = [
        [_("Total finansiering"), format_money(financing_ore)],
        [_("Totala planerade kostnader"), format_money(planned_ore)],
        [_("Utbetalt under perioden"), format_money(spent_in_period_ore)],
        [_("Utbetalt till och med periodens slut"), format_money(spent_ore)],
        [_("Återstår av budgeten"), format_money(remaining_ore)],
    ]
    text = _(
        "Projektets finansiering är %(financing)s och de planerade kostnaderna %(planned)s. "
        "Till och med %(date)s har %(spent)s betalats ut, varav %(in_period)s under perioden; "
        "%(remaining)s återstår.",
        financing=format_money(financing_ore),
        planned=format_money(planned_ore),
        date=period.ends_on.isoformat(),
        spent=format_money(spent_ore),
        in_period=format_money(spent_in_period_ore),
        remaining=format_money(remaining_ore),
    )
    if financing_ore == planned_ore:
        text += " " + _("Kostnaderna är lika stora som finansieringen.")
    else:
        text += " " + _(
            "Kostnaderna och finansieringen skiljer sig åt med %(difference)s; Kulturrådet "
            "kräver att de är lika stora.",
            difference=format_money(abs(financing_ore - planned_ore)),
        )
    figures = {
        "financing_ore": financing_ore,
        "planned_ore": planned_ore,
        "spent_ore": spent_ore,
        "spent_in_period_ore": spent_in_period_ore,
        "remaining_ore": remaining_ore,
        "is_balanced": financing_ore == planned_ore,
    }
    return Draft(
        data={"facts": facts, "tables": [funders_table, lines_table], "figures": figures},
        text=text,
    )
