"""Factories for plan periods, goal areas and projects; each test builds what it needs."""

import itertools
from datetime import date

from portal.extensions import db
from portal.projects.models import GoalArea, PlanPeriod, Project, ProjectParticipant, TargetGroup

_counter = itertools.count(1)


def make_plan_period(name: str | None = None, current: bool = True) -> PlanPeriod:
    period = PlanPeriod(
        name=name or f"Regional biblioteksplan {next(_counter)}",
        starts_on=date(2015, 1, 1),
        ends_on=date(2017, 12, 31),
        is_current=current,
    )
    db.session.add(period)
    db.session.commit()
    return period


def make_goal_area(name: str = "Litteratur och läsfrämjande", plan_period=None) -> GoalArea:
    area = GoalArea(plan_period=plan_period or make_plan_period(), name=name, description="")
    db.session.add(area)
    db.session.commit()
    return area


def make_target_group(name: str | None = None) -> TargetGroup:
    group = TargetGroup(name=name or f"Målgrupp {next(_counter)}")
    db.session.add(group)
    db.session.commit()
    return group


def make_project(
    title: str | None = None,
    goal_area=None,
    lead=None,
    team=(),
    participants=(),
    **fields,
) -> Project:
    """A project; `participants` are organisations (role partner)."""
    number = next(_counter)
    project = Project(
        title=title or f"Projekt {number}",
        slug=fields.pop("slug", f"projekt-{number}"),
        goal_area=goal_area or make_goal_area(),
        lead=lead,
        team=list(team),
        status=fields.pop("status", "running"),
        **fields,
    )
    project.participants = [
        ProjectParticipant(organisation=organisation, role="partner")
        for organisation in participants
    ]
    db.session.add(project)
    db.session.commit()
    return project
