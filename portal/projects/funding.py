"""A project's economy: grants, own contributions, the budget and its expenses.

Kulturrådet requires a project's planned costs to equal its financing, and takes back what a
grant did not pay for at the end; the read model shows both. Services take plain values (amounts
as typed), check them, audit the change and leave the commit to the view.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.accounts.models import Organisation, User
from portal.core import audit
from portal.core.errors import ValidationError
from portal.core.forms import int_or_none
from portal.core.i18n import _l
from portal.core.money import parse_money
from portal.extensions import db
from portal.projects.models import (
    BUDGET_CATEGORIES,
    CONTRIBUTION_KINDS,
    DEADLINE_KINDS,
    REPORT_RECURRENCES,
    BudgetLine,
    Contribution,
    Expense,
    Grant,
    Project,
    ReportDeadline,
)

GRANT_FIELDS = [
    "funder_id",
    "case_number",
    "amount_ore",
    "decided_on",
    "period_starts_on",
    "period_ends_on",
    "conditions",
    "report_recurrence",
]
CONTRIBUTION_FIELDS = ["organisation_id", "amount_ore", "kind"]
BUDGET_LINE_FIELDS = ["category", "description", "planned_ore", "grant_id", "contribution_id"]
EXPENSE_FIELDS = ["budget_line_id", "spent_on", "amount_ore", "text"]


# --- Reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineRow:
    id: int
    category: str
    description: str
    planned_ore: int
    spent_ore: int
    funder_name: str | None

    @property
    def left_ore(self) -> int:
        return self.planned_ore - self.spent_ore


@dataclass(frozen=True)
class FunderRow:
    """A grant or a contribution with what the budget plans and spends from it."""

    kind: str  # "grant" or "contribution"
    id: int
    name: str
    detail: str
    amount_ore: int
    planned_ore: int
    spent_ore: int

    @property
    def to_repay_ore(self) -> int | None:
        """What the funder would take back if the project ended now (grants only)."""
        if self.kind != "grant":
            return None
        return max(self.amount_ore - self.spent_ore, 0)


@dataclass(frozen=True)
class Economy:
    financing_ore: int
    planned_ore: int
    spent_ore: int
    lines: list[LineRow]
    funders: list[FunderRow]
    grants: list[Grant]
    contributions: list[Contribution]
    expenses: list[Expense]

    @property
    def difference_ore(self) -> int:
        """Financing minus planned costs; Kulturrådet wants zero."""
        return self.financing_ore - self.planned_ore

    @property
    def is_balanced(self) -> bool:
        return self.difference_ore == 0

    @property
    def to_repay_ore(self) -> int:
        return sum(row.to_repay_ore or 0 for row in self.funders)


def _spent_per_line(project: Project):
    return (
        select(Expense.budget_line_id, func.sum(Expense.amount_ore).label("spent"))
        .join(BudgetLine, Expense.budget_line_id == BudgetLine.id)
        .where(BudgetLine.project_id == project.id)
        .group_by(Expense.budget_line_id)
        .subquery()
    )


def economy(project: Project) -> Economy:
    """The economy tab, in a fixed number of queries whatever the number of rows."""
    grant_total = (
        select(func.coalesce(func.sum(Grant.amount_ore), 0))
        .where(Grant.project_id == project.id)
        .scalar_subquery()
    )
    contribution_total = (
        select(func.coalesce(func.sum(Contribution.amount_ore), 0))
        .where(Contribution.project_id == project.id)
        .scalar_subquery()
    )
    planned_total = (
        select(func.coalesce(func.sum(BudgetLine.planned_ore), 0))
        .where(BudgetLine.project_id == project.id)
        .scalar_subquery()
    )
    spent_total = (
        select(func.coalesce(func.sum(Expense.amount_ore), 0))
        .join(BudgetLine, Expense.budget_line_id == BudgetLine.id)
        .where(BudgetLine.project_id == project.id)
        .scalar_subquery()
    )
    totals = db.session.execute(
        select(grant_total, contribution_total, planned_total, spent_total)
    ).one()

    spent = _spent_per_line(project)
    grant_funder = Organisation.__table__.alias("grant_funder")
    contribution_org = Organisation.__table__.alias("contribution_org")
    line_rows = db.session.execute(
        select(
            BudgetLine.id,
            BudgetLine.category,
            BudgetLine.description,
            BudgetLine.planned_ore,
            func.coalesce(spent.c.spent, 0).label("spent"),
            func.coalesce(grant_funder.c.name, contribution_org.c.name).label("funder_name"),
        )
        .outerjoin(spent, spent.c.budget_line_id == BudgetLine.id)
        .outerjoin(Grant, Grant.id == BudgetLine.grant_id)
        .outerjoin(grant_funder, grant_funder.c.id == Grant.funder_id)
        .outerjoin(Contribution, Contribution.id == BudgetLine.contribution_id)
        .outerjoin(contribution_org, contribution_org.c.id == Contribution.organisation_id)
        .where(BudgetLine.project_id == project.id)
        .order_by(BudgetLine.id)
    ).all()

    funders = [
        *_funder_rows(project, "grant", Grant, BudgetLine.grant_id, Grant.funder_id),
        *_funder_rows(
            project,
            "contribution",
            Contribution,
            BudgetLine.contribution_id,
            Contribution.organisation_id,
        ),
    ]
    grants = db.session.scalars(
        select(Grant)
        .where(Grant.project_id == project.id)
        .options(selectinload(Grant.funder), selectinload(Grant.deadlines))
        .order_by(Grant.id)
    ).all()
    contributions = db.session.scalars(
        select(Contribution)
        .where(Contribution.project_id == project.id)
        .options(selectinload(Contribution.organisation))
        .order_by(Contribution.id)
    ).all()
    expenses = db.session.scalars(
        select(Expense)
        .join(BudgetLine, Expense.budget_line_id == BudgetLine.id)
        .where(BudgetLine.project_id == project.id)
        .options(selectinload(Expense.budget_line))
        .order_by(Expense.spent_on.desc(), Expense.id.desc())
    ).all()
    return Economy(
        financing_ore=totals[0] + totals[1],
        planned_ore=totals[2],
        spent_ore=totals[3],
        lines=[
            LineRow(
                id=row.id,
                category=row.category,
                description=row.description,
                planned_ore=row.planned_ore,
                spent_ore=row.spent,
                funder_name=row.funder_name,
            )
            for row in line_rows
        ],
        funders=funders,
        grants=list(grants),
        contributions=list(contributions),
        expenses=list(expenses),
    )


def _funder_rows(project, kind, model, line_column, organisation_column) -> list[FunderRow]:
    """Planned and spent per grant (or contribution), summed by the database."""
    planned = (
        select(line_column.label("source_id"), func.sum(BudgetLine.planned_ore).label("planned"))
        .where(BudgetLine.project_id == project.id, line_column.is_not(None))
        .group_by(line_column)
        .subquery()
    )
    spent = (
        select(line_column.label("source_id"), func.sum(Expense.amount_ore).label("spent"))
        .join(BudgetLine, Expense.budget_line_id == BudgetLine.id)
        .where(BudgetLine.project_id == project.id, line_column.is_not(None))
        .group_by(line_column)
        .subquery()
    )
    detail = model.case_number if model is Grant else model.kind
    rows = db.session.execute(
        select(
            model.id,
            Organisation.name,
            detail.label("detail"),
            model.amount_ore,
            func.coalesce(planned.c.planned, 0).label("planned"),
            func.coalesce(spent.c.spent, 0).label("spent"),
        )
        .join(Organisation, Organisation.id == organisation_column)
        .outerjoin(planned, planned.c.source_id == model.id)
        .outerjoin(spent, spent.c.source_id == model.id)
        .where(model.project_id == project.id)
        .order_by(model.id)
    ).all()
    return [
        FunderRow(
            kind=kind,
            id=row.id,
            name=row.name,
            detail=str(CONTRIBUTION_KINDS.get(row.detail, row.detail))
            if kind == "contribution"
            else row.detail,
            amount_ore=row.amount_ore,
            planned_ore=row.planned,
            spent_ore=row.spent,
        )
        for row in rows
    ]


def funder_choices() -> list[tuple[int, str]]:
    """Organisations for a funder select: those of kind "funder" first, then the rest."""
    rows = db.session.execute(
        select(Organisation.id, Organisation.name).order_by(
            (Organisation.kind != "funder"), Organisation.name
        )
    )
    return [(row.id, row.name) for row in rows]


def financing_choices(project: Project) -> list[tuple[str, str]]:
    """ "grant:<id>" and "contribution:<id>" options for a budget line of this project."""
    grants = db.session.execute(
        select(Grant.id, Grant.case_number, Organisation.name)
        .join(Organisation, Organisation.id == Grant.funder_id)
        .where(Grant.project_id == project.id)
        .order_by(Grant.id)
    )
    contributions = db.session.execute(
        select(Contribution.id, Contribution.kind, Organisation.name)
        .join(Organisation, Organisation.id == Contribution.organisation_id)
        .where(Contribution.project_id == project.id)
        .order_by(Contribution.id)
    )
    choices = [(f"grant:{row.id}", f"{row.name} {row.case_number}".strip()) for row in grants]
    choices += [
        (
            f"contribution:{row.id}",
            f"{row.name} ({CONTRIBUTION_KINDS.get(row.kind, row.kind)})",
        )
        for row in contributions
    ]
    return choices


def budget_line_choices(project: Project) -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(BudgetLine.id, BudgetLine.category, BudgetLine.description)
        .where(BudgetLine.project_id == project.id)
        .order_by(BudgetLine.id)
    )
    return [
        (row.id, f"{BUDGET_CATEGORIES.get(row.category, row.category)}: {row.description}")
        for row in rows
    ]


def grant_of(project: Project, grant_id: int) -> Grant | None:
    return db.session.scalar(
        select(Grant).where(Grant.id == grant_id, Grant.project_id == project.id)
    )


def contribution_of(project: Project, contribution_id: int) -> Contribution | None:
    return db.session.scalar(
        select(Contribution).where(
            Contribution.id == contribution_id, Contribution.project_id == project.id
        )
    )


def budget_line_of(project: Project, line_id: int) -> BudgetLine | None:
    return db.session.scalar(
        select(BudgetLine).where(BudgetLine.id == line_id, BudgetLine.project_id == project.id)
    )


def expense_of(project: Project, expense_id: int) -> Expense | None:
    return db.session.scalar(
        select(Expense)
        .join(BudgetLine, Expense.budget_line_id == BudgetLine.id)
        .where(Expense.id == expense_id, BudgetLine.project_id == project.id)
    )


# --- Checking ------------------------------------------------------------------------------


def _amount(text: str, field: str) -> int:
    try:
        ore = parse_money(text)
    except ValidationError as error:
        raise ValidationError(error.message, field=field) from error
    if ore == 0:
        raise ValidationError(_l("Beloppet måste vara större än noll."), field=field)
    return ore


def _organisation(organisation_id, field: str) -> int:
    if not organisation_id or db.session.get(Organisation, organisation_id) is None:
        raise ValidationError(_l("Välj en organisation."), field=field)
    return organisation_id


def _check_deadlines(deadlines: list[tuple[str, date | None]]) -> list[tuple[str, date]]:
    filled = [(kind, due_on) for kind, due_on in deadlines if due_on is not None]
    if not filled:
        raise ValidationError(
            _l("Ange minst en rapport med datum, till exempel slutredovisningen."),
            field="deadlines",
        )
    for kind, _due_on in filled:
        if kind not in DEADLINE_KINDS:
            raise ValidationError(_l("Välj lägesrapport eller slutredovisning."), field="deadlines")
    return filled


def _deadline_summary(grant: Grant) -> list[str]:
    deadlines = sorted(grant.deadlines, key=lambda deadline: deadline.due_on)
    return [f"{deadline.kind} {deadline.due_on.isoformat()}" for deadline in deadlines]


# --- Grants --------------------------------------------------------------------------------


def _recurrence(value: str | None) -> str:
    if (value or "") not in REPORT_RECURRENCES:
        raise ValidationError(
            _l("Välj hur ofta en lägesrapport ska skrivas."), field="report_recurrence"
        )
    return value or ""


def save_grant(
    actor: User,
    project: Project,
    grant: Grant | None,
    *,
    funder_id: int | None,
    case_number: str,
    amount: str,
    decided_on: date | None,
    period_starts_on: date | None,
    period_ends_on: date | None,
    conditions: str,
    deadlines: list[tuple[str, date | None]],
    report_recurrence: str = "",
) -> Grant:
    """Create or change a grant with its report deadlines (at least one)."""
    values = {
        "funder_id": _organisation(funder_id, "funder_id"),
        "case_number": (case_number or "").strip(),
        "amount_ore": _amount(amount, "amount"),
        "decided_on": decided_on,
        "period_starts_on": period_starts_on,
        "period_ends_on": period_ends_on,
        "conditions": (conditions or "").strip(),
        "report_recurrence": _recurrence(report_recurrence),
    }
    if period_starts_on and period_ends_on and period_ends_on < period_starts_on:
        raise ValidationError(
            _l("Bidragsperioden kan inte sluta före den börjar."), field="period_ends_on"
        )
    filled = _check_deadlines(deadlines)

    is_new = grant is None
    before = {} if is_new else {**audit.snapshot(grant, GRANT_FIELDS)}
    if not is_new:
        before["deadlines"] = _deadline_summary(grant)
        grant.deadlines.clear()
    else:
        grant = Grant(project=project)
        db.session.add(grant)
    for field, value in values.items():
        setattr(grant, field, value)
    grant.deadlines.extend(ReportDeadline(kind=kind, due_on=due_on) for kind, due_on in filled)
    db.session.flush()
    after = {**audit.snapshot(grant, GRANT_FIELDS), "deadlines": _deadline_summary(grant)}
    audit.record(
        actor,
        project.id,
        "create" if is_new else "update",
        "grant",
        grant.id,
        audit.changes_between(before, after),
    )
    return grant


def delete_grant(actor: User, project: Project, grant: Grant) -> None:
    """A grant that still finances budget lines stays: move the lines first."""
    if db.session.scalar(select(func.count()).where(BudgetLine.grant_id == grant.id)):
        raise ValidationError(
            _l("Bidraget finansierar budgetrader. Flytta eller ta bort dem först.")
        )
    before = {**audit.snapshot(grant, GRANT_FIELDS), "deadlines": _deadline_summary(grant)}
    audit.record(actor, project.id, "delete", "grant", grant.id, audit.changes_between({}, before))
    db.session.delete(grant)
    db.session.flush()


# --- Contributions -------------------------------------------------------------------------


def save_contribution(
    actor: User,
    project: Project,
    contribution: Contribution | None,
    *,
    organisation_id: int | None,
    amount: str,
    kind: str,
) -> Contribution:
    if kind not in CONTRIBUTION_KINDS:
        raise ValidationError(_l("Välj kontant eller naturainsats."), field="kind")
    values = {
        "organisation_id": _organisation(organisation_id, "organisation_id"),
        "amount_ore": _amount(amount, "amount"),
        "kind": kind,
    }
    return audit.save_audited(
        actor,
        project,
        contribution,
        lambda: Contribution(project=project),
        "contribution",
        CONTRIBUTION_FIELDS,
        values,
    )


def delete_contribution(actor: User, project: Project, contribution: Contribution) -> None:
    if db.session.scalar(select(func.count()).where(BudgetLine.contribution_id == contribution.id)):
        raise ValidationError(
            _l("Insatsen finansierar budgetrader. Flytta eller ta bort dem först.")
        )
    before = audit.snapshot(contribution, CONTRIBUTION_FIELDS)
    audit.record(
        actor,
        project.id,
        "delete",
        "contribution",
        contribution.id,
        audit.changes_between({}, before),
    )
    db.session.delete(contribution)


# --- Budget lines --------------------------------------------------------------------------


def _financing(project: Project, financed_by: str) -> tuple[int | None, int | None]:
    """ "grant:7" or "contribution:3" → (grant_id, contribution_id), of this project only."""
    kind, _, raw_id = (financed_by or "").partition(":")
    source_id = int_or_none(raw_id)
    if kind == "grant" and source_id and grant_of(project, source_id):
        return source_id, None
    if kind == "contribution" and source_id and contribution_of(project, source_id):
        return None, source_id
    raise ValidationError(
        _l("Välj ett bidrag eller en egen insats i det här projektet."), field="financed_by"
    )


def save_budget_line(
    actor: User,
    project: Project,
    line: BudgetLine | None,
    *,
    category: str,
    description: str,
    planned: str,
    financed_by: str,
) -> BudgetLine:
    if category not in BUDGET_CATEGORIES:
        raise ValidationError(_l("Välj en kategori."), field="category")
    grant_id, contribution_id = _financing(project, financed_by)
    values = {
        "category": category,
        "description": (description or "").strip(),
        "planned_ore": _amount(planned, "planned"),
        "grant_id": grant_id,
        "contribution_id": contribution_id,
    }
    return audit.save_audited(
        actor,
        project,
        line,
        lambda: BudgetLine(project=project),
        "budget_line",
        BUDGET_LINE_FIELDS,
        values,
    )


def delete_budget_line(actor: User, project: Project, line: BudgetLine) -> None:
    """The line's expenses go with it; each is audited as deleted too."""
    for expense in line.expenses:
        audit.record(
            actor,
            project.id,
            "delete",
            "expense",
            expense.id,
            audit.changes_between({}, audit.snapshot(expense, EXPENSE_FIELDS)),
        )
    audit.record(
        actor,
        project.id,
        "delete",
        "budget_line",
        line.id,
        audit.changes_between({}, audit.snapshot(line, BUDGET_LINE_FIELDS)),
    )
    db.session.delete(line)


# --- Expenses ------------------------------------------------------------------------------


def save_expense(
    actor: User,
    project: Project,
    expense: Expense | None,
    *,
    budget_line_id: int | None,
    spent_on: date | None,
    amount: str,
    text: str,
) -> Expense:
    if not budget_line_id or budget_line_of(project, budget_line_id) is None:
        raise ValidationError(_l("Välj en budgetrad i det här projektet."), field="budget_line_id")
    if spent_on is None:
        raise ValidationError(_l("Ange ett datum, till exempel 2016-03-15."), field="spent_on")
    text = (text or "").strip()
    if not text:
        raise ValidationError(_l("Skriv vad pengarna gick till."), field="text")
    values = {
        "budget_line_id": budget_line_id,
        "spent_on": spent_on,
        "amount_ore": _amount(amount, "amount"),
        "text": text,
    }
    return audit.save_audited(
        actor, project, expense, lambda: Expense(), "expense", EXPENSE_FIELDS, values
    )


def delete_expense(actor: User, project: Project, expense: Expense) -> None:
    audit.record(
        actor,
        project.id,
        "delete",
        "expense",
        expense.id,
        audit.changes_between({}, audit.snapshot(expense, EXPENSE_FIELDS)),
    )
    db.session.delete(expense)
