"""Progress updates with indicator values and a change of health, and the emails they send to
the lead, the team and the followers, queued in the caller's transaction."""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.accounts.models import Organisation, User
from portal.core import audit
from portal.core.errors import ValidationError
from portal.core.i18n import _l
from portal.core.markdown import markdown_excerpt
from portal.core.money import parse_decimal
from portal.extensions import db
from portal.notifications.preferences import notify
from portal.projects.models import (
    PROJECT_HEALTH,
    Measurement,
    ProgressUpdate,
    Project,
    ProjectParticipant,
)

log = logging.getLogger(__name__)


HEALTH_FIELDS = ["health", "health_reason"]


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
    summary = markdown_excerpt(update.text, 500) if update is not None else ""
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
