"""The read model of a project's economy: per funder and per budget line, planned, granted and
spent, and the choices the economy forms offer.

Kulturrådet requires a project's planned costs to equal its financing, and takes back what a
grant did not pay for at the end; the read model shows both."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.accounts.models import Organisation
from portal.extensions import db
from portal.projects.models import (
    BUDGET_CATEGORIES,
    CONTRIBUTION_KINDS,
    BudgetLine,
    Contribution,
    Expense,
    Grant,
    Project,
)


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
    # What a grant did not pay for is "to repay" only once the project has ended; while it
    # runs the same figure is what is not spent yet.
    has_ended: bool = False

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


def economy_of(project: Project) -> Economy:
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
        has_ended=has_ended(project),
    )


ENDED_STATUSES = ("finished", "final_report_submitted")


def has_ended(project: Project) -> bool:
    """Finished or reported. The status, not the end date, decides, so the word agrees with
    the status shown beside it: a project still "Pågående" after its planned end date has
    not yet settled its grants."""
    return project.status in ENDED_STATUSES


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
