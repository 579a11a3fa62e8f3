"""The options of the project forms' selects, read from the database in one statement each."""

from __future__ import annotations

from sqlalchemy import select

from portal.accounts.models import Organisation, User
from portal.accounts.permissions import STAFF_ROLES
from portal.extensions import db
from portal.projects.models import (
    GoalArea,
    PlanPeriod,
    Project,
    TargetGroup,
)


def _pairs(result) -> list[tuple]:
    return [tuple(row) for row in result]


def goal_area_choices() -> list[tuple[int, str]]:
    """Goal areas still in use, named with their plan period."""
    rows = db.session.execute(
        select(GoalArea.id, GoalArea.name, PlanPeriod.name)
        .join(PlanPeriod, PlanPeriod.id == GoalArea.plan_period_id)
        .where(GoalArea.is_retired.is_(False))
        .order_by(PlanPeriod.starts_on.desc(), GoalArea.position, GoalArea.name)
    )
    return [(area_id, f"{period} – {name}") for area_id, name, period in rows]


def target_group_choices() -> list[tuple[int, str]]:
    return _pairs(
        db.session.execute(
            select(TargetGroup.id, TargetGroup.name)
            .where(TargetGroup.is_retired.is_(False))
            .order_by(TargetGroup.position, TargetGroup.name)
        )
    )


def staff_choices() -> list[tuple[int, str]]:
    return _pairs(
        db.session.execute(
            select(User.id, User.name)
            .where(User.role.in_(STAFF_ROLES), User.active.is_(True))
            .order_by(User.name, User.id)
        )
    )


def user_choices() -> list[tuple[int, str]]:
    return _pairs(
        db.session.execute(
            select(User.id, User.name).where(User.active.is_(True)).order_by(User.name, User.id)
        )
    )


def organisation_choices() -> list[tuple[int, str]]:
    return _pairs(
        db.session.execute(select(Organisation.id, Organisation.name).order_by(Organisation.name))
    )


def project_choices() -> list[tuple[int, str]]:
    return _pairs(
        db.session.execute(select(Project.id, Project.title).order_by(Project.title, Project.id))
    )
