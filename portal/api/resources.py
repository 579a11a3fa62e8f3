"""Projects, plan periods, goal areas and organisations. Every signed-in person reads every
project on the pages (the list and the project page ask only for a login), and so does every
token; each list is built with a fixed number of statements per page."""

from flask import abort, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.accounts.models import Organisation
from portal.api import schemas
from portal.api.operations import operation
from portal.api.paging import json_response, paged
from portal.extensions import db
from portal.projects.models import (
    BudgetLine,
    Contribution,
    Expense,
    GoalArea,
    Grant,
    Indicator,
    PlanPeriod,
    ProgressUpdate,
    Project,
    ProjectParticipant,
)

PROJECT_LOADS = (
    selectinload(Project.goal_area),
    selectinload(Project.target_groups),
    selectinload(Project.participants).selectinload(ProjectParticipant.organisation),
    selectinload(Project.grants).selectinload(Grant.funder),
    selectinload(Project.milestones),
    selectinload(Project.indicators).selectinload(Indicator.measurements),
)


def _sums(column, project_column, ids: list[int], *joins) -> dict[int, int]:
    query = select(project_column, func.sum(column)).where(project_column.in_(ids))
    for target, on in joins:
        query = query.join(target, on)
    return {key: total for key, total in db.session.execute(query.group_by(project_column))}


def budget_totals(ids: list[int]) -> dict[int, schemas.BudgetTotals]:
    """The economy tab's totals for many projects: one grouped sum per kind."""
    granted = _sums(Grant.amount_ore, Grant.project_id, ids)
    contributed = _sums(Contribution.amount_ore, Contribution.project_id, ids)
    planned = _sums(BudgetLine.planned_ore, BudgetLine.project_id, ids)
    spent = _sums(
        Expense.amount_ore,
        BudgetLine.project_id,
        ids,
        (BudgetLine, BudgetLine.id == Expense.budget_line_id),
    )
    return {
        project_id: schemas.BudgetTotals(
            granted_ore=granted.get(project_id, 0),
            contributed_ore=contributed.get(project_id, 0),
            financing_ore=granted.get(project_id, 0) + contributed.get(project_id, 0),
            planned_ore=planned.get(project_id, 0),
            spent_ore=spent.get(project_id, 0),
        )
        for project_id in ids
    }


def latest_statuses(ids: list[int]) -> dict[int, ProgressUpdate]:
    """Each project's latest progress update, in one statement."""
    ranked = (
        select(
            ProgressUpdate.id,
            func.row_number()
            .over(
                partition_by=ProgressUpdate.project_id,
                order_by=(ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc()),
            )
            .label("rank"),
        )
        .where(ProgressUpdate.project_id.in_(ids))
        .subquery()
    )
    updates = db.session.scalars(
        select(ProgressUpdate)
        .join(ranked, ranked.c.id == ProgressUpdate.id)
        .where(ranked.c.rank == 1)
    )
    return {update.project_id: update for update in updates}


def _project(
    project: Project, budget: schemas.BudgetTotals, latest: ProgressUpdate | None
) -> schemas.Project:
    return schemas.Project(
        id=project.id,
        slug=project.slug,
        title=project.title,
        summary=project.summary,
        status=project.status,
        health=project.health,
        starts_on=project.starts_on,
        ends_on=project.ends_on,
        goal_area=schemas.GoalAreaRef.model_validate(project.goal_area),
        target_groups=[schemas.Named.model_validate(group) for group in project.target_groups],
        participants=[
            schemas.Participant(
                organisation_id=row.organisation_id, name=row.organisation.name, role=row.role
            )
            for row in project.participants
        ],
        grants=[
            schemas.Grant(
                id=grant.id,
                funder_id=grant.funder_id,
                funder_name=grant.funder.name,
                case_number=grant.case_number,
                amount_ore=grant.amount_ore,
                decided_on=grant.decided_on,
                period_starts_on=grant.period_starts_on,
                period_ends_on=grant.period_ends_on,
            )
            for grant in project.grants
        ],
        budget=budget,
        milestones=[schemas.Milestone.model_validate(row) for row in project.milestones],
        latest_status=schemas.LatestStatus.model_validate(latest) if latest else None,
        indicators=[_indicator(indicator) for indicator in project.indicators],
        updated_at=project.updated_at,
        url=url_for("projects.project", slug=project.slug, _external=True),
    )


def _indicator(indicator: Indicator) -> schemas.Indicator:
    return schemas.Indicator(
        id=indicator.id,
        name=indicator.name,
        unit=indicator.unit,
        target=float(indicator.target) if indicator.target is not None else None,
        measurements=[
            schemas.Measurement.model_validate(row)
            for row in sorted(indicator.measurements, key=lambda row: (row.measured_on, row.id))
        ],
    )


def _projects(projects: list[Project]) -> list[schemas.Project]:
    ids = [project.id for project in projects]
    budgets, latest = budget_totals(ids), latest_statuses(ids)
    return [_project(project, budgets[project.id], latest.get(project.id)) for project in projects]


@operation(
    "/projects",
    "Projects, with their funding, milestones and indicators",
    "projects",
    schemas.ProjectPage,
    paged=True,
)
def projects():
    rows, cursor = paged(select(Project).options(*PROJECT_LOADS), Project.id)
    return json_response(schemas.ProjectPage(data=_projects(rows), next_cursor=cursor))


@operation("/projects/<id:project_id>", "One project", "projects", schemas.Project)
def project(project_id: int):
    found = db.session.scalar(
        select(Project).where(Project.id == project_id).options(*PROJECT_LOADS)
    )
    if found is None:
        abort(404)
    return json_response(_projects([found])[0])


def _goal_area(area: GoalArea) -> schemas.GoalArea:
    return schemas.GoalArea.model_validate(area)


@operation(
    "/plan-periods",
    "Plan periods with their goal areas",
    "plan",
    schemas.PlanPeriodPage,
    paged=True,
)
def plan_periods():
    rows, cursor = paged(
        select(PlanPeriod).options(selectinload(PlanPeriod.goal_areas)), PlanPeriod.id
    )
    data = [
        schemas.PlanPeriod(
            id=period.id,
            name=period.name,
            starts_on=period.starts_on,
            ends_on=period.ends_on,
            is_current=period.is_current,
            goal_areas=[_goal_area(area) for area in period.goal_areas],
        )
        for period in rows
    ]
    return json_response(schemas.PlanPeriodPage(data=data, next_cursor=cursor))


@operation("/goal-areas", "Goal areas", "plan", schemas.GoalAreaPage, paged=True)
def goal_areas():
    rows, cursor = paged(select(GoalArea), GoalArea.id)
    return json_response(
        schemas.GoalAreaPage(data=[_goal_area(area) for area in rows], next_cursor=cursor)
    )


@operation(
    "/organisations",
    "Organisations (libraries, schools, funders …)",
    "organisations",
    schemas.OrganisationPage,
    paged=True,
)
def organisations():
    rows, cursor = paged(select(Organisation), Organisation.id)
    data = [schemas.Organisation.model_validate(row) for row in rows]
    return json_response(schemas.OrganisationPage(data=data, next_cursor=cursor))
