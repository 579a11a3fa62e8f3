"""The rules of a project: who may lead it, which goal areas it may sit under, a unique address,
dates in order, and no silent overwrite when two people edit it at once."""

from __future__ import annotations

import logging
from datetime import date

from slugify import slugify
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from portal.accounts.models import Organisation, User
from portal.accounts.permissions import is_staff
from portal.core import audit
from portal.core.dates import utcnow
from portal.core.errors import ValidationError
from portal.core.i18n import _l
from portal.extensions import db
from portal.projects.models import (
    PARTICIPANT_ROLES,
    PROJECT_HEALTH,
    PROJECT_STATUSES,
    GoalArea,
    Project,
    ProjectParticipant,
    TargetGroup,
)
from portal.projects.progress.updates import notify_health_changed

log = logging.getLogger(__name__)

AUDITED_FIELDS = [
    "title",
    "slug",
    "summary",
    "description",
    "goal_area_id",
    "status",
    "health",
    "health_reason",
    "starts_on",
    "ends_on",
    "lead_id",
]
CONCURRENT_EDIT = _l(
    "Någon annan har sparat projektet medan du skrev. Dina ändringar är inte sparade: "
    "läs igenom projektet på nytt och spara igen."
)


class ConcurrentEdit(ValidationError):
    """The project was saved by someone else since the form was opened."""

    def __init__(self):
        super().__init__(str(CONCURRENT_EDIT))


def _project_snapshot(project: Project) -> dict:
    data = audit.snapshot(project, AUDITED_FIELDS)
    data["secondary_goal_area_ids"] = sorted(area.id for area in project.secondary_goal_areas)
    data["target_group_ids"] = sorted(group.id for group in project.target_groups)
    data["team_ids"] = sorted(user.id for user in project.team)
    return data


RESERVED_SLUGS = {"nytt"}  # /projekt/nytt is the form for a new project


def _slug_taken(slug: str, project: Project | None) -> bool:
    if slug in RESERVED_SLUGS:
        return True
    query = select(Project.id).where(Project.slug == slug)
    if project is not None and project.id is not None:
        query = query.where(Project.id != project.id)
    return db.session.scalar(query) is not None


def unique_slug(title: str, project: Project | None = None) -> str:
    """The title as an address; on a collision -2, -3, … is added."""
    base = slugify(title, max_length=110, word_boundary=True) or "projekt"
    slug, number = base, 1
    while _slug_taken(slug, project):
        number += 1
        slug = f"{base}-{number}"
    return slug


def _checked_slug(typed: str | None, title: str, project: Project | None) -> str:
    if not typed or not typed.strip():
        if project is not None and project.slug:
            return project.slug
        return unique_slug(title, project)
    slug = slugify(typed, max_length=120)
    if not slug:
        raise ValidationError(str(_l("Skriv adressen med bokstäver och siffror.")), "slug")
    if _slug_taken(slug, project):
        raise ValidationError(
            str(_l("Adressen %(slug)s används redan av ett annat projekt.", slug=slug)), "slug"
        )
    return slug


def _goal_area(goal_area_id, current_id: int | None) -> GoalArea:
    area = db.session.get(GoalArea, goal_area_id) if goal_area_id else None
    if area is None:
        raise ValidationError(str(_l("Välj ett målområde.")), "goal_area_id")
    if area.is_retired and area.id != current_id:
        raise ValidationError(
            str(_l("Målområdet %(name)s används inte längre.", name=area.name)), "goal_area_id"
        )
    return area


def _rows(model, ids, field: str, message, keep=()) -> list:
    ids = sorted(set(ids or []))
    if not ids:
        return []
    rows = db.session.scalars(select(model).where(model.id.in_(ids))).all()
    if len(rows) != len(ids) or any(
        getattr(row, "is_retired", False) and row not in keep for row in rows
    ):
        raise ValidationError(str(message), field)
    return list(rows)


def _lead(lead_id) -> User | None:
    if lead_id is None:
        return None
    lead = db.session.get(User, lead_id)
    if lead is None or not lead.active or not is_staff(lead):
        raise ValidationError(
            str(_l("Projektledaren ska vara anställd på länsbiblioteket.")), "lead_id"
        )
    return lead


def _dates(starts_on: date | None, ends_on: date | None) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError(str(_l("Slutdatumet ligger före startdatumet.")), "ends_on")


def _choice(value: str, allowed: dict, field: str) -> str:
    if value not in allowed:
        raise ValidationError(str(_l("Välj ett av alternativen.")), field)
    return value


def _apply(project: Project, fields: dict) -> None:
    title = (fields.get("title") or "").strip()
    if not title:
        raise ValidationError(str(_l("Fyll i fältet.")), "title")
    project.slug = _checked_slug(fields.get("slug"), title, project)
    project.title = title
    project.summary = (fields.get("summary") or "").strip()
    project.description = fields.get("description") or ""
    area = _goal_area(fields.get("goal_area_id"), project.goal_area_id)
    project.goal_area = area
    secondary = _rows(
        GoalArea,
        [i for i in fields.get("secondary_goal_area_ids") or [] if i != area.id],
        "secondary_goal_area_ids",
        _l("Ett av de valda målområdena finns inte eller används inte längre."),
        keep=project.secondary_goal_areas,
    )
    if set(project.secondary_goal_areas) != set(secondary):
        project.secondary_goal_areas = secondary
    groups = _rows(
        TargetGroup,
        fields.get("target_group_ids"),
        "target_group_ids",
        _l("En av de valda målgrupperna finns inte eller används inte längre."),
        keep=project.target_groups,
    )
    if set(project.target_groups) != set(groups):
        project.target_groups = groups
    project.status = _choice(fields.get("status") or "idea", PROJECT_STATUSES, "status")
    project.health = _choice(fields.get("health") or "on_track", PROJECT_HEALTH, "health")
    project.health_reason = (fields.get("health_reason") or "").strip()
    _dates(fields.get("starts_on"), fields.get("ends_on"))
    project.starts_on = fields.get("starts_on")
    project.ends_on = fields.get("ends_on")
    lead = _lead(fields.get("lead_id"))
    project.lead = lead
    team = _rows(
        User,
        fields.get("team_ids"),
        "team_ids",
        _l("En av de valda personerna finns inte."),
    )
    if set(project.team) != set(team):
        project.team = team


def create_project(actor: User, **fields) -> Project:
    """Staff and admins create projects (the view checks the role)."""
    project = Project()
    db.session.add(project)
    with db.session.no_autoflush:
        _apply(project, fields)
    db.session.flush()
    audit.record(
        actor,
        project.id,
        "create",
        "project",
        project.id,
        audit.changes_between({}, _project_snapshot(project)),
    )
    log.info("Project %r created by %s", project.slug, actor.email)
    return project


def update_project(actor: User, project: Project, version, **fields) -> Project:
    """Refuses when the project changed since the form was opened (`version` is the form's)."""
    if str(version) != str(project.version):
        raise ConcurrentEdit()
    before = _project_snapshot(project)
    with db.session.no_autoflush:
        _apply(project, fields)
    after = _project_snapshot(project)
    changes = audit.changes_between(before, after)
    if changes:
        # Touch the row, so the version moves also when only a list (team, groups) changed.
        project.updated_at = utcnow()
        audit.record(actor, project.id, "update", "project", project.id, changes)
    try:
        db.session.flush()
    except StaleDataError as error:  # saved by someone else since `version` was read
        raise ConcurrentEdit() from error
    if "health" in changes:
        notify_health_changed(actor, project)
    return project


def delete_project(actor: User, project: Project) -> None:
    audit.record(
        actor,
        None,
        "delete",
        "project",
        project.id,
        audit.changes_between(_project_snapshot(project), {}) or {"slug": [project.slug, None]},
    )
    log.info("Project %r deleted by %s", project.slug, actor.email)
    db.session.delete(project)
    db.session.flush()


def add_participant(actor: User, project: Project, organisation_id, role: str):
    organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
    if organisation is None:
        raise ValidationError(str(_l("Välj en organisation.")), "organisation_id")
    role = _choice(role, PARTICIPANT_ROLES, "role")
    if any(p.organisation_id == organisation.id for p in project.participants):
        raise ValidationError(
            str(_l("%(name)s deltar redan i projektet.", name=organisation.name)),
            "organisation_id",
        )
    participant = ProjectParticipant(project=project, organisation=organisation, role=role)
    db.session.add(participant)
    db.session.flush()
    audit.record(
        actor,
        project.id,
        "create",
        "participant",
        participant.id,
        {"organisation_id": [None, organisation.id], "role": [None, role]},
    )
    return participant


def remove_participant(actor: User, project: Project, participant_id) -> None:
    participant = next((p for p in project.participants if p.id == participant_id), None)
    if participant is None:
        raise ValidationError(str(_l("Deltagaren finns inte i projektet.")))
    audit.record(
        actor,
        project.id,
        "delete",
        "participant",
        participant.id,
        {"organisation_id": [participant.organisation_id, None], "role": [participant.role, None]},
    )
    project.participants.remove(participant)
    db.session.flush()
