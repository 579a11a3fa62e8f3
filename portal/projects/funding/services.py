"""Changes to a project's economy: grants, own contributions, budget lines and expenses. Services
take plain values (amounts as typed), check them, audit the change and leave the commit to
the view."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from portal.accounts.models import Organisation, User
from portal.core import audit
from portal.core.errors import ValidationError
from portal.core.forms import int_or_none
from portal.core.i18n import _l
from portal.core.money import parse_money
from portal.extensions import db
from portal.projects.funding.economy import budget_line_of, contribution_of, grant_of
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
