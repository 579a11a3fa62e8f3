"""A project's progress: milestones, progress updates with indicator values, outcome indicators,
the audit history and who follows the project.

Services take plain values, check them, audit milestone changes and queue the emails to the
team, the lead and the followers in the caller's transaction; the view commits once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask import current_app
from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.orm import selectinload

from portal.accounts.models import Organisation, User
from portal.core import audit
from portal.core.errors import ValidationError
from portal.core.i18n import _l
from portal.core.money import parse_decimal
from portal.extensions import db
from portal.notifications.preferences import notify
from portal.projects.models import (
    PROJECT_HEALTH,
    GoalArea,
    Indicator,
    Measurement,
    Milestone,
    ProgressUpdate,
    Project,
    ProjectParticipant,
    TargetGroup,
    project_followers,
    project_team,
)

log = logging.getLogger(__name__)

MILESTONE_FIELDS = ["title", "due_on", "responsible_id", "done_on"]
INDICATOR_FIELDS = ["name", "unit", "target", "target_group_id", "goal_area_id"]
MEASUREMENT_FIELDS = ["indicator_id", "measured_on", "value", "municipality"]
HEALTH_FIELDS = ["health", "health_reason"]
AUDIT_ENTITIES = {
    "project": _l("Projekt"),
    "participant": _l("Deltagare"),
    "grant": _l("Bidrag"),
    "contribution": _l("Egen insats"),
    "budget_line": _l("Budgetrad"),
    "expense": _l("Utgift"),
    "milestone": _l("Milstolpe"),
    "indicator": _l("Indikator"),
    "measurement": _l("Mätning"),
}
AUDIT_ACTIONS = {"create": _l("skapad"), "update": _l("ändrad"), "delete": _l("borttagen")}


# --- Milestones ----------------------------------------------------------------------------


def milestone_of(project: Project, milestone_id: int) -> Milestone | None:
    return db.session.scalar(
        select(Milestone).where(Milestone.id == milestone_id, Milestone.project_id == project.id)
    )


def responsible_choices(project: Project) -> list[tuple[int, str]]:
    """The lead, the team and the people of the participating organisations."""
    team_ids = select(project_team.c.user_id).where(project_team.c.project_id == project.id)
    organisation_ids = select(ProjectParticipant.organisation_id).where(
        ProjectParticipant.project_id == project.id
    )
    users = db.session.scalars(
        select(User)
        .where(
            or_(
                User.id == project.lead_id,
                User.id.in_(team_ids),
                User.organisation_id.in_(organisation_ids),
            )
        )
        .order_by(User.name)
    )
    return [(user.id, user.name) for user in users if user.is_active]


def save_milestone(
    actor: User,
    project: Project,
    milestone: Milestone | None,
    *,
    title: str,
    due_on: date | None,
    responsible_id: int | None,
    done_on: date | None,
) -> Milestone:
    title = (title or "").strip()
    if not title:
        raise ValidationError(_l("Skriv vad milstolpen gäller."), field="title")
    if due_on is None:
        raise ValidationError(_l("Skriv ett datum som 2016-03-15."), field="due_on")
    if responsible_id is not None and responsible_id not in dict(responsible_choices(project)):
        raise ValidationError(
            _l("Välj en person i projektet eller i en deltagande organisation."),
            field="responsible_id",
        )
    values = {
        "title": title,
        "due_on": due_on,
        "responsible_id": responsible_id,
        "done_on": done_on,
    }
    return audit.save_audited(
        actor,
        project,
        milestone,
        lambda: Milestone(project=project),
        "milestone",
        MILESTONE_FIELDS,
        values,
    )


def mark_milestone_done(actor: User, project: Project, milestone: Milestone, today: date) -> None:
    if milestone.done_on is not None:
        return
    before = audit.snapshot(milestone, MILESTONE_FIELDS)
    milestone.done_on = today
    audit.record(
        actor,
        project.id,
        "update",
        "milestone",
        milestone.id,
        audit.changes_between(before, audit.snapshot(milestone, MILESTONE_FIELDS)),
    )


def delete_milestone(actor: User, project: Project, milestone: Milestone) -> None:
    _record_deleted(actor, project, "milestone", milestone, MILESTONE_FIELDS)
    db.session.delete(milestone)


def milestones_of(project: Project) -> list[Milestone]:
    return list(
        db.session.scalars(
            select(Milestone)
            .where(Milestone.project_id == project.id)
            .options(selectinload(Milestone.responsible))
            .order_by(Milestone.due_on, Milestone.id)
        )
    )


# --- Progress updates ----------------------------------------------------------------------


def municipality_choices(project: Project) -> list[str]:
    """The municipalities of the participating organisations, from the database."""
    return list(
        db.session.scalars(
            select(Organisation.municipality_name)
            .join(ProjectParticipant, ProjectParticipant.organisation_id == Organisation.id)
            .where(
                ProjectParticipant.project_id == project.id,
                Organisation.municipality_name.is_not(None),
            )
            .distinct()
            .order_by(Organisation.municipality_name)
        )
    )


def indicator_value_field(indicator_id: int) -> str:
    return f"indicator_{indicator_id}"


def parse_indicator_values(project: Project, values: dict[int, str]) -> dict[int, Decimal]:
    """{indicator id: typed text} → {indicator id: Decimal}; empty values are skipped.

    Raises ValidationError naming the first field that is not a number (or is negative).
    """
    own = {indicator.id for indicator in project.indicators}
    parsed = {}
    for indicator_id, text in values.items():
        if indicator_id not in own:
            raise ValidationError(_l("Indikatorn hör inte till projektet."))
        if not (text or "").strip():
            continue
        name = indicator_value_field(indicator_id)
        try:
            value = parse_decimal(text)
        except ValidationError as error:
            raise ValidationError(error.message, field=name) from error
        if value < 0:
            raise ValidationError(_l("Värdet kan inte vara negativt."), field=name)
        if value != value.quantize(Decimal("0.01")):
            raise ValidationError(_l("Skriv värdet med högst två decimaler."), field=name)
        parsed[indicator_id] = value
    return parsed


def post_update(
    actor: User,
    project: Project,
    *,
    reported_on: date | None,
    text: str,
    health: str | None = None,
    health_reason: str = "",
    municipality: str | None = None,
    values: dict[int, str] | None = None,
) -> ProgressUpdate:
    """Record an update, its indicator values and any change of health; notify the followers."""
    text = (text or "").strip()
    if reported_on is None:
        raise ValidationError(_l("Skriv ett datum som 2016-03-15."), field="reported_on")
    if not text:
        raise ValidationError(_l("Skriv vad som har hänt."), field="text")
    if health and health not in PROJECT_HEALTH:
        raise ValidationError(_l("Välj ett av lägena i listan."), field="health")
    municipality = municipality or None
    if municipality is not None and municipality not in municipality_choices(project):
        raise ValidationError(_l("Välj en kommun som deltar i projektet."), field="municipality")
    parsed = parse_indicator_values(project, values or {})

    update = ProgressUpdate(
        project=project,
        author=actor,
        reported_on=reported_on,
        text=text,
        health=health or None,
        municipality=municipality,
    )
    db.session.add(update)
    update.measurements = [
        Measurement(
            indicator_id=indicator_id,
            measured_on=reported_on,
            value=value,
            municipality=municipality,
        )
        for indicator_id, value in parsed.items()
    ]
    health_changed = _change_health(actor, project, health, health_reason)
    db.session.flush()
    log.info("Progress update %s on project %s by %s", update.id, project.slug, actor.email)
    _notify(actor, project, update, health_changed)
    return update


def _change_health(actor: User, project: Project, health: str | None, reason: str) -> bool:
    if not health:
        return False
    before = audit.snapshot(project, HEALTH_FIELDS)
    project.health = health
    project.health_reason = (reason or "").strip()[:300]
    changes = audit.changes_between(before, audit.snapshot(project, HEALTH_FIELDS))
    audit.record(actor, project.id, "update", "project", project.id, changes)
    return "health" in changes


def updates_of(project: Project) -> list[ProgressUpdate]:
    return list(
        db.session.scalars(
            select(ProgressUpdate)
            .where(ProgressUpdate.project_id == project.id)
            .options(
                selectinload(ProgressUpdate.author),
                selectinload(ProgressUpdate.measurements).selectinload(Measurement.indicator),
            )
            .order_by(ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc())
        )
    )


def update_link(project: Project, update: ProgressUpdate | None) -> str:
    base = current_app.config["PORTAL_BASE_URL"].rstrip("/")
    link = f"{base}/projekt/{project.slug}/uppdateringar"
    return f"{link}#uppdatering-{update.id}" if update is not None else link


def recipients(project: Project, author: User) -> list[User]:
    """The lead, the team and the followers, each once, without the author."""
    people = {}
    for user in [project.lead, *project.team, *project.followers]:
        if user is not None and user.id != author.id and user.is_active:
            people.setdefault(user.id, user)
    return list(people.values())


def notify_health_changed(actor: User, project: Project) -> None:
    """For a health changed on the project form, without an update: the same people are told."""
    _notify(actor, project, None, health_changed=True)


def _notify(actor: User, project: Project, update: ProgressUpdate | None, health_changed: bool):
    template = "project_health" if health_changed else "project_update"
    if health_changed:
        subject = _l("Läget har ändrats i %(title)s", title=project.title)
    else:
        subject = _l("Ny uppdatering i %(title)s", title=project.title)
    health_label = PROJECT_HEALTH.get(project.health, project.health)
    summary = update.text if update is not None else ""
    if health_changed:
        summary = " ".join(filter(None, [str(health_label), project.health_reason, summary]))
    notify(
        recipients(project, actor),
        "project_updates",
        template,
        subject,
        link=update_link(project, update),
        summary=summary[:500],
        author=actor,
        project=project,
        update=update,
        health_label=health_label,
    )


# --- Indicators ----------------------------------------------------------------------------


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
        if not self.indicator.target:
            return None
        return int(self.actual * 100 / self.indicator.target)


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
    _record_deleted(actor, project, "indicator", indicator, INDICATOR_FIELDS)
    db.session.delete(indicator)


def measurement_of(project: Project, measurement_id: int) -> Measurement | None:
    return db.session.scalar(
        select(Measurement)
        .join(Indicator, Indicator.id == Measurement.indicator_id)
        .where(Measurement.id == measurement_id, Indicator.project_id == project.id)
    )


def delete_measurement(actor: User, project: Project, measurement: Measurement) -> None:
    """A value typed wrong is taken away; the update it came with stays as written."""
    _record_deleted(actor, project, "measurement", measurement, MEASUREMENT_FIELDS)
    db.session.delete(measurement)


def _record_deleted(actor: User, project: Project, entity: str, row, fields: list[str]) -> None:
    before = audit.snapshot(row, fields)
    audit.record(
        actor,
        project.id,
        "delete",
        entity,
        row.id,
        audit.changes_between(before, dict.fromkeys(fields)),
    )


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


# --- History and following -----------------------------------------------------------------


def history_of(project: Project, limit: int = 500) -> list[audit.AuditEntry]:
    return list(
        db.session.scalars(
            select(audit.AuditEntry)
            .where(audit.AuditEntry.project_id == project.id)
            .options(selectinload(audit.AuditEntry.actor))
            .order_by(audit.AuditEntry.at.desc(), audit.AuditEntry.id.desc())
            .limit(limit)
        )
    )


def is_following(project: Project, user: User) -> bool:
    return (
        db.session.scalar(
            select(func.count()).where(
                project_followers.c.project_id == project.id,
                project_followers.c.user_id == user.id,
            )
        )
        > 0
    )


def follow(user: User, project: Project) -> None:
    """Written to the link table alone, so following never clashes with someone editing."""
    if not is_following(project, user):
        db.session.execute(insert(project_followers).values(project_id=project.id, user_id=user.id))


def unfollow(user: User, project: Project) -> None:
    db.session.execute(
        delete(project_followers).where(
            project_followers.c.project_id == project.id,
            project_followers.c.user_id == user.id,
        )
    )
