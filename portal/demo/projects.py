"""The demo's region, its regional library plans (2015–2017, ended, and the region file's
current one, dated from the day the demo is loaded) and the demo projects with their financing,
milestones, updates and indicators (regions/demo/plan.toml, regions/demo/projects.toml)."""

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from portal.accounts.models import Organisation, User
from portal.demo.datafiles import day, read
from portal.extensions import db
from portal.projects.models import (
    BudgetLine,
    Contribution,
    Expense,
    GoalArea,
    Grant,
    Indicator,
    Measurement,
    Milestone,
    PlanPeriod,
    ProgressUpdate,
    Project,
    ProjectParticipant,
    ReportDeadline,
    TargetGroup,
)
from portal.regions import REGIONS_DIR
from portal.regions.schema import read_region
from portal.regions.services import apply_region


@dataclass
class Names:
    """The rows a project's data names, by name (email for users; goal areas by the plan's key
    and their name), and the day it counts from."""

    areas: dict[tuple[str, str], GoalArea]
    groups: dict[str, TargetGroup]
    organisations: dict[str, Organisation]
    users: dict[str, User]
    today: date

    def day(self, value: date | int) -> date:
        return day(value, self.today)


def load_region(today: date) -> dict[str, Organisation]:
    """The region file plan.toml names, imported as `portal import-region` would, but with its
    plan dated from the day of loading (so the demo's projects are always running); returns
    every organisation by name."""
    plan = read("plan")
    region = read_region(REGIONS_DIR / plan["region"])
    current = plan["current_plan"]
    first, last = (today.year + offset for offset in current["years"])
    dated = replace(
        region.plan_period,
        name=current["name"].format(first=first, last=last),
        starts_on=date(first, 1, 1),
        ends_on=date(last, 12, 31),
    )
    apply_region(replace(region, plan_period=dated))
    return {org.name: org for org in db.session.scalars(select(Organisation))}


def load_plan(organisations: dict[str, Organisation], today: date) -> None:
    """The demo's earlier plans and their goal areas, and the demo projects (the region's
    current plan is under the key plan.toml gives it)."""
    plan = read("plan")
    current = db.session.scalar(select(PlanPeriod).where(PlanPeriod.is_current))
    areas = {(plan["current_plan"]["key"], area.name): area for area in current.goal_areas}
    for spec in plan["plan_periods"]:
        period = load_plan_period(spec)
        for area in period.goal_areas:
            areas[spec["key"], area.name] = area
        for position, area in enumerate(spec["goal_areas"], start=1):
            if (spec["key"], area["name"]) not in areas:
                areas[spec["key"], area["name"]] = GoalArea(
                    plan_period=period,
                    name=area["name"],
                    description=area["description"],
                    position=position,
                )
                db.session.add(areas[spec["key"], area["name"]])
    groups = {group.name: group for group in db.session.scalars(select(TargetGroup))}
    db.session.flush()
    users = {user.email: user for user in db.session.scalars(select(User))}
    names = Names(areas, groups, organisations, users, today)
    existing = set(db.session.scalars(select(Project.slug)))
    for spec in read("projects")["projects"]:
        if spec["slug"] not in existing:
            db.session.add(build_project(spec, names))


def load_plan_period(spec: dict[str, Any]) -> PlanPeriod:
    """The earlier plan period of `spec`, added unless there is one of its name."""
    period = db.session.scalar(select(PlanPeriod).where(PlanPeriod.name == spec["name"]))
    if period is None:
        period = PlanPeriod(name=spec["name"], starts_on=spec["starts_on"], ends_on=spec["ends_on"])
        db.session.add(period)
    return period


def build_project(spec: dict[str, Any], names: Names) -> Project:
    project = Project(
        slug=spec["slug"],
        title=spec["title"],
        summary=spec["summary"],
        description=spec.get("description", spec["summary"]),
        goal_area=names.areas[spec["plan"], spec["goal_area"]],
        target_groups=[names.groups[name] for name in spec["target_groups"]],
        status=spec["status"],
        health=spec["health"],
        health_reason=spec.get("health_reason", ""),
        starts_on=names.day(spec["starts_on"]),
        ends_on=names.day(spec["ends_on"]),
        lead=names.users.get(spec["lead"]),
        team=[names.users[email] for email in spec.get("team", []) if email in names.users],
        participants=[
            ProjectParticipant(
                organisation=names.organisations[row["organisation"]], role=row["role"]
            )
            for row in spec["participants"]
        ],
    )
    add_financing(project, spec, names)
    project.milestones = [
        Milestone(
            title=row["title"],
            due_on=names.day(row["due_on"]),
            done_on=names.day(row["done_on"]) if "done_on" in row else None,
            responsible=project.lead,
        )
        for row in spec["milestones"]
    ]
    project.updates = [build_update(row, names) for row in spec["updates"]]
    project.indicators = [build_indicator(spec["indicator"], project.updates, names)]
    return project


def add_financing(project: Project, spec: dict[str, Any], names: Names) -> None:
    """The grant, the own contributions and the budget lines they finance, with the expenses."""
    grant_spec = spec["grant"]
    grant = Grant(
        funder=names.organisations[grant_spec["funder"]],
        case_number=grant_spec["case_number"],
        amount_ore=grant_spec["kronor"] * 100,
        decided_on=names.day(grant_spec["decided_on"]),
        period_starts_on=project.starts_on,
        period_ends_on=project.ends_on,
        deadlines=[
            ReportDeadline(
                kind=row["kind"],
                due_on=names.day(row["due_on"]),
                submitted_on=names.day(row["submitted_on"]) if "submitted_on" in row else None,
            )
            for row in grant_spec["deadlines"]
        ],
    )
    project.grants = [grant]
    contributions = {
        row["organisation"]: Contribution(
            organisation=names.organisations[row["organisation"]],
            amount_ore=row["kronor"] * 100,
            kind=row["kind"],
        )
        for row in spec["contributions"]
    }
    project.contributions = list(contributions.values())
    project.budget_lines = [
        BudgetLine(
            category=row["category"],
            description=row["description"],
            planned_ore=row["kronor"] * 100,
            grant=grant if row["financed_by"] == "grant" else None,
            contribution=None
            if row["financed_by"] == "grant"
            else contributions[row["financed_by"]],
            expenses=[
                Expense(
                    spent_on=names.day(expense["spent_on"]),
                    amount_ore=expense["kronor"] * 100,
                    text=expense["text"],
                )
                for expense in row.get("expenses", [])
            ],
        )
        for row in spec["budget"]
    ]


def build_update(row: dict[str, Any], names: Names) -> ProgressUpdate:
    """An update; a member's carries the municipality of the member's library."""
    author = names.users[row["author"]]
    return ProgressUpdate(
        author=author,
        reported_on=names.day(row["reported_on"]),
        text=row["text"],
        health=row.get("health"),
        municipality=author.organisation.municipality_name if author.role == "member" else None,
    )


def build_indicator(spec: dict[str, Any], updates: list[ProgressUpdate], names: Names) -> Indicator:
    return Indicator(
        name=spec["name"],
        unit=spec["unit"],
        target=Decimal(spec["target"]),
        target_group=names.groups.get(spec["target_group"]) if "target_group" in spec else None,
        measurements=[
            Measurement(
                measured_on=names.day(row["measured_on"]),
                value=Decimal(row["value"]),
                municipality=row.get("municipality"),
                update=updates[row["update"]] if "update" in row else None,
            )
            for row in spec["measurements"]
        ],
    )
