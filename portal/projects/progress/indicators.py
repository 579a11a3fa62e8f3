"""A project's outcome indicators and their measurements, and the summary against targets."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.core import audit
from portal.core.errors import ValidationError
from portal.core.i18n import _l
from portal.core.money import parse_decimal
from portal.core.numbers import share_of
from portal.extensions import db
from portal.projects.models import (
    GoalArea,
    Indicator,
    Measurement,
    Project,
    TargetGroup,
)
from portal.projects.progress.history import record_deleted

INDICATOR_FIELDS = ["name", "unit", "target", "target_group_id", "goal_area_id"]
MEASUREMENT_FIELDS = ["indicator_id", "measured_on", "value", "municipality"]


def indicator_of(project: Project, indicator_id: int) -> Indicator | None:
    return db.session.scalar(
        select(Indicator).where(Indicator.id == indicator_id, Indicator.project_id == project.id)
    )


def target_group_choices() -> list[tuple[int, str]]:
    groups = db.session.scalars(
        select(TargetGroup)
        .where(TargetGroup.is_retired.is_(False))
        .order_by(TargetGroup.position, TargetGroup.name)
    )
    return [(group.id, group.name) for group in groups]


def goal_area_choices(project: Project) -> list[tuple[int, str]]:
    """The goal areas of the project's plan period."""
    areas = db.session.scalars(
        select(GoalArea)
        .where(
            GoalArea.plan_period_id == project.goal_area.plan_period_id,
            GoalArea.is_retired.is_(False),
        )
        .order_by(GoalArea.position, GoalArea.name)
    )
    return [(area.id, area.name) for area in areas]


def save_indicator(
    actor: User,
    project: Project,
    indicator: Indicator | None,
    *,
    name: str,
    unit: str,
    target: str,
    target_group_id: int | None,
    goal_area_id: int | None,
) -> Indicator:
    name, unit = (name or "").strip(), (unit or "").strip()
    if not name:
        raise ValidationError(_l("Skriv vad indikatorn mäter."), field="name")
    if not unit:
        raise ValidationError(_l("Skriv en enhet, till exempel familjer."), field="unit")
    target_value = None
    if (target or "").strip():
        try:
            target_value = parse_decimal(target)
        except ValidationError as error:
            raise ValidationError(error.message, field="target") from error
        if target_value < 0:
            raise ValidationError(_l("Målet kan inte vara negativt."), field="target")
    if target_group_id is not None and target_group_id not in dict(target_group_choices()):
        raise ValidationError(_l("Välj en målgrupp i listan."), field="target_group_id")
    if goal_area_id is not None and goal_area_id not in dict(goal_area_choices(project)):
        raise ValidationError(_l("Välj ett målområde i listan."), field="goal_area_id")
    is_new = indicator is None
    before = {} if is_new else audit.snapshot(indicator, INDICATOR_FIELDS)
    if is_new:
        indicator = Indicator(project=project)
        db.session.add(indicator)
    indicator.name, indicator.unit, indicator.target = name, unit, target_value
    indicator.target_group_id, indicator.goal_area_id = target_group_id, goal_area_id
    db.session.flush()
    after = audit.snapshot(indicator, INDICATOR_FIELDS)
    if after.get("target") is not None:
        after["target"] = str(Decimal(after["target"]).quantize(Decimal("0.01")))
    audit.record(
        actor,
        project.id,
        "create" if is_new else "update",
        "indicator",
        indicator.id,
        audit.changes_between(before, after),
    )
    return indicator


@dataclass
class IndicatorRow:
    indicator: Indicator
    actual: Decimal = Decimal(0)
    per_municipality: dict[str, Decimal] = field(default_factory=dict)

    @property
    def share_of_target(self) -> int | None:
        """Per cent of the target reached, or None without a target."""
        return share_of(self.actual, self.indicator.target)


def indicator_summary(project: Project) -> list[IndicatorRow]:
    """Actual (sum of measurements) per indicator and per municipality, summed by the database."""
    indicators = list(
        db.session.scalars(
            select(Indicator)
            .where(Indicator.project_id == project.id)
            .options(selectinload(Indicator.target_group), selectinload(Indicator.goal_area))
            .order_by(Indicator.id)
        )
    )
    rows = {indicator.id: IndicatorRow(indicator) for indicator in indicators}
    sums = db.session.execute(
        select(Measurement.indicator_id, Measurement.municipality, func.sum(Measurement.value))
        .join(Indicator, Indicator.id == Measurement.indicator_id)
        .where(Indicator.project_id == project.id)
        .group_by(Measurement.indicator_id, Measurement.municipality)
    )
    for indicator_id, municipality, total in sums:
        row = rows[indicator_id]
        total = Decimal(total or 0)
        row.actual += total
        key = municipality or str(_l("Ingen kommun angiven"))
        row.per_municipality[key] = row.per_municipality.get(key, Decimal(0)) + total
    return list(rows.values())


def delete_indicator(actor: User, project: Project, indicator: Indicator) -> None:
    """Its measurements go with it; the history keeps what the indicator was."""
    record_deleted(actor, project, "indicator", indicator, INDICATOR_FIELDS)
    db.session.delete(indicator)


def measurement_of(project: Project, measurement_id: int) -> Measurement | None:
    return db.session.scalar(
        select(Measurement)
        .join(Indicator, Indicator.id == Measurement.indicator_id)
        .where(Measurement.id == measurement_id, Indicator.project_id == project.id)
    )


def delete_measurement(actor: User, project: Project, measurement: Measurement) -> None:
    """A value typed wrong is taken away; the update it came with stays as written."""
    record_deleted(actor, project, "measurement", measurement, MEASUREMENT_FIELDS)
    db.session.delete(measurement)


def measurements_of(project: Project) -> list[Measurement]:
    return list(
        db.session.scalars(
            select(Measurement)
            .join(Indicator, Indicator.id == Measurement.indicator_id)
            .where(Indicator.project_id == project.id)
            .options(selectinload(Measurement.indicator))
            .order_by(Measurement.measured_on.desc(), Measurement.id.desc())
        )
    )
