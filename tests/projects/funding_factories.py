"""Factories for grants, contributions, budget lines and expenses."""

from datetime import date

from sqlalchemy import select

from portal.extensions import db
from portal.projects.models import (
    BudgetLine,
    Contribution,
    Expense,
    FunderContact,
    Grant,
    Project,
    ReportDeadline,
)
from tests.factories import make_organisation
from tests.projects.factories import make_project


def make_grant(project, funder=None, amount_ore=600_000_00, case_number="KUR 2015/1234", **fields):
    grant = Grant(
        project=project,
        funder=funder or make_organisation(kind="funder"),
        case_number=case_number,
        amount_ore=amount_ore,
        decided_on=fields.pop("decided_on", date(2015, 11, 20)),
        deadlines=[ReportDeadline(kind="final_report", due_on=date(2017, 3, 31))],
        **fields,
    )
    db.session.add(grant)
    db.session.commit()
    return grant


def make_contribution(project, organisation=None, amount_ore=100_000_00, kind="cash"):
    contribution = Contribution(
        project=project,
        organisation=organisation or make_organisation(),
        amount_ore=amount_ore,
        kind=kind,
    )
    db.session.add(contribution)
    db.session.commit()
    return contribution


def make_budget_line(project, planned_ore=100_000_00, grant=None, contribution=None, **fields):
    line = BudgetLine(
        project=project,
        category=fields.pop("category", "personnel"),
        description=fields.pop("description", "Projektledare"),
        planned_ore=planned_ore,
        grant=grant,
        contribution=contribution,
    )
    db.session.add(line)
    db.session.commit()
    return line


def make_expense(line, amount_ore=10_000_00, text="Lön januari", spent_on=date(2016, 1, 25)):
    expense = Expense(budget_line=line, amount_ore=amount_ore, text=text, spent_on=spent_on)
    db.session.add(expense)
    db.session.commit()
    return expense


FUNDED_SLUG = "ekonomi-prov"


def funded_project() -> Project:
    """One project with a grant financing a budget line with an expense, and a contribution;
    made once per test, then found again (the route-access samples share it)."""
    project = db.session.scalar(select(Project).where(Project.slug == FUNDED_SLUG))
    if project is None:
        project = make_project("Ekonomiprov", slug=FUNDED_SLUG)
        grant = make_grant(project)
        make_contribution(project)
        make_expense(make_budget_line(project, grant=grant))
    return project


def make_funder_contact(
    funder, name="Maria Lindqvist", email="maria.lindqvist@kulturradet.example.org", **fields
):
    contact = FunderContact(organisation=funder, name=name, email=email, **fields)
    db.session.add(contact)
    db.session.commit()
    return contact
