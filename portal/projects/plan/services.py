"""The regional library plan as data: plan periods, their ordered goal areas and target groups.

Admins keep these lists. A goal area or target group that projects use is never deleted, only
retired, so old projects keep their place in the plan they were started under.
"""

import logging
from datetime import date

from sqlalchemy import func, select, update

from portal.core.errors import ValidationError
from portal.core.i18n import _l
from portal.extensions import db
from portal.projects.models import (
    GoalArea,
    Indicator,
    PlanPeriod,
    Project,
    TargetGroup,
    project_secondary_goal_areas,
    project_target_groups,
)

log = logging.getLogger(__name__)


def _clean_name(name: str | None) -> str:
    cleaned = (name or "").strip()
    if not cleaned:
        raise ValidationError(_l("Fyll i namnet."), "name")
    if len(cleaned) > 200:
        raise ValidationError(_l("Namnet får vara högst 200 tecken."), "name")
    return cleaned


def plan_periods() -> list[PlanPeriod]:
    return db.session.scalars(select(PlanPeriod).order_by(PlanPeriod.starts_on.desc())).all()


def save_plan_period(
    actor, period: PlanPeriod | None, name: str, starts_on: date, ends_on: date, is_current: bool
) -> PlanPeriod:
    """Create or change a plan period; marking one current makes every other one not current."""
    name = _clean_name(name)
    if starts_on is None:
        raise ValidationError(_l("Ange när perioden börjar."), "starts_on")
    if ends_on is None:
        raise ValidationError(_l("Ange när perioden slutar."), "ends_on")
    if ends_on < starts_on:
        raise ValidationError(_l("Perioden kan inte sluta innan den börjar."), "ends_on")
    clash = db.session.scalar(select(PlanPeriod).where(func.lower(PlanPeriod.name) == name.lower()))
    if clash is not None and clash is not period:
        raise ValidationError(_l("Det finns redan en planperiod med det namnet."), "name")
    if period is None:
        period = PlanPeriod(name=name, starts_on=starts_on, ends_on=ends_on)
        db.session.add(period)
    period.name, period.starts_on, period.ends_on = name, starts_on, ends_on
    if is_current:
        db.session.flush()
        db.session.execute(
            update(PlanPeriod).where(PlanPeriod.id != period.id).values(is_current=False)
        )
    period.is_current = bool(is_current)
    log.info("Plan period %r saved by %s", name, getattr(actor, "email", None))
    return period


def save_goal_area(
    actor,
    period: PlanPeriod,
    area: GoalArea | None,
    name: str,
    description: str = "",
    position: int | None = None,
    is_retired: bool = False,
) -> GoalArea:
    name = _clean_name(name)
    clash = db.session.scalar(
        select(GoalArea).where(
            GoalArea.plan_period_id == period.id, func.lower(GoalArea.name) == name.lower()
        )
    )
    if clash is not None and clash is not area:
        raise ValidationError(_l("Planperioden har redan ett målområde med det namnet."), "name")
    if position is not None and position < 0:
        raise ValidationError(_l("Ordningen kan inte vara negativ."), "position")
    if area is None:
        if position is None:
            last = db.session.scalar(
                select(func.max(GoalArea.position)).where(GoalArea.plan_period_id == period.id)
            )
            position = (last or 0) + 1
        area = GoalArea(plan_period=period, name=name)
        db.session.add(area)
    area.name = name
    area.description = (description or "").strip()
    if position is not None:
        area.position = position
    area.is_retired = bool(is_retired)
    log.info("Goal area %r saved by %s", name, getattr(actor, "email", None))
    return area


def goal_area_is_used(area: GoalArea) -> bool:
    """Used by a project as its primary or secondary goal area, or by an indicator."""
    primary = select(Project.id).where(Project.goal_area_id == area.id)
    secondary = select(project_secondary_goal_areas.c.project_id).where(
        project_secondary_goal_areas.c.goal_area_id == area.id
    )
    indicator = select(Indicator.id).where(Indicator.goal_area_id == area.id)
    return bool(
        db.session.scalar(select(primary.exists() | secondary.exists() | indicator.exists()))
    )


def delete_goal_area(actor, area: GoalArea) -> None:
    if goal_area_is_used(area):
        raise ValidationError(
            _l("Målområdet har projekt och kan inte tas bort. Markera det som avvecklat i stället.")
        )
    log.info("Goal area %r deleted by %s", area.name, getattr(actor, "email", None))
    db.session.delete(area)


def target_groups() -> list[TargetGroup]:
    return db.session.scalars(
        select(TargetGroup).order_by(TargetGroup.is_retired, TargetGroup.position, TargetGroup.name)
    ).all()


def save_target_group(
    actor,
    group: TargetGroup | None,
    name: str,
    position: int | None = None,
    is_retired: bool = False,
) -> TargetGroup:
    name = _clean_name(name)
    clash = db.session.scalar(
        select(TargetGroup).where(func.lower(TargetGroup.name) == name.lower())
    )
    if clash is not None and clash is not group:
        raise ValidationError(_l("Det finns redan en målgrupp med det namnet."), "name")
    if position is not None and position < 0:
        raise ValidationError(_l("Ordningen kan inte vara negativ."), "position")
    if group is None:
        if position is None:
            position = (db.session.scalar(select(func.max(TargetGroup.position))) or 0) + 1
        group = TargetGroup(name=name)
        db.session.add(group)
    group.name = name
    if position is not None:
        group.position = position
    group.is_retired = bool(is_retired)
    log.info("Target group %r saved by %s", name, getattr(actor, "email", None))
    return group


def target_group_is_used(group: TargetGroup) -> bool:
    by_project = select(project_target_groups.c.project_id).where(
        project_target_groups.c.target_group_id == group.id
    )
    by_indicator = select(Indicator.id).where(Indicator.target_group_id == group.id)
    return bool(db.session.scalar(select(by_project.exists() | by_indicator.exists())))


def remove_target_group(actor, group: TargetGroup) -> str:
    """Delete an unused target group; one that projects use is retired instead.

    Returns "deleted" or "retired" so the page can say which happened."""
    if target_group_is_used(group):
        group.is_retired = True
        log.info("Target group %r retired by %s", group.name, getattr(actor, "email", None))
        return "retired"
    log.info("Target group %r deleted by %s", group.name, getattr(actor, "email", None))
    db.session.delete(group)
    return "deleted"
