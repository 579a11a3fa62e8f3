"""The project list's filter counts, kept up to date as projects change.

The list shows, beside each filter value, how many projects it would give. Counting that from
the projects and their link tables on every view cost 130–270 ms at 100 000 projects, and after
every saved change somebody meets that view. So the counts are kept instead, in
`project_facet_counts`: how many projects of each (status, health, goal area) have a value of a
multi-valued property (a municipality taking part, a funder, a target group, the span of years
they run), alone and paired with a value of another such property. The list then adds up a few
thousand rows, whatever the number of projects (portal/projects/list_counts.py).

Each project's part of the counts follows from its *profile*: its status, health and goal area
and the values it has. The profile last counted is stored per project
(`project_facet_profiles`), so a change applies the difference between the stored profile and
the one read afresh, in the same transaction as the change:

- after every flush, for the projects the flush touched (a project, its participants, grants or
  target groups, or an organisation's municipality);
- before COMMIT, everything is counted afresh if a statement wrote one of those tables in bulk
  (no flush sees such rows; the portal itself never does, the bench seed and some tests do).

The stored profile row is locked before the difference is taken (FOR UPDATE on PostgreSQL;
SQLite has one writer at a time), so two transactions changing the same project apply their
differences one after the other. Counts are changed by adding to them (an upsert), which
commutes, in key order.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection, delete, insert, inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from portal.accounts.models import Organisation
from portal.core import after_commit
from portal.projects.models import (
    Grant,
    Project,
    ProjectParticipant,
    project_facet_counts,
    project_facet_profiles,
    project_target_groups,
)

# The multi-valued properties a project is counted by; "" is "none" in the key columns.
MUNICIPALITY = "municipality"
FUNDER = "funder"
TARGET_GROUP = "target_group"
SPAN = "span"
DIMENSIONS = (MUNICIPALITY, FUNDER, TARGET_GROUP, SPAN)
NONE = ""
KEY_COLUMNS = (
    "status",
    "health",
    "goal_area_id",
    "dimension",
    "value",
    "by_dimension",
    "by_value",
)
# What a flush must have changed on a row for the project's counts to change.
PROJECT_ATTRIBUTES = ("status", "health", "goal_area_id", "starts_on", "ends_on", "target_groups")
LINK_ATTRIBUTES = (
    "project_id",
    "project",
    "organisation_id",
    "organisation",
    "funder_id",
    "funder",
)
BULK_KEY = "facet_counts_bulk"
# Bulk writes to these are counted afresh. Organisations are left out: only a municipality's
# name matters here, which the portal changes through the ORM (seen at the flush), while bulk
# UPDATEs of organisations (an erased person's contact address) would otherwise count every
# project again.
WATCHED_TABLES = frozenset({"projects", "project_participants", "grants", "project_target_groups"})
BATCH = 5_000


def span_value(starts_on: date | None, ends_on: date | None) -> str | None:
    """The years a project runs as "2015:2017", or "2015:" without an end; None without a
    start (such a project runs in no year)."""
    if starts_on is None:
        return None
    end = f"{ends_on.year:04d}" if ends_on is not None else ""
    return f"{starts_on.year:04d}:{end}"


def span_includes(span: str, year: int) -> bool:
    first, _, last = span.partition(":")
    return int(first) <= year and (not last or int(last) >= year)


@dataclass(frozen=True)
class Profile:
    """What a project is counted by."""

    status: str
    health: str
    goal_area_id: int
    values: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def keys(self) -> Iterable[tuple]:
        """The count rows the project adds one to: its group alone, each value, and each pair
        of values of two different properties (both ways round)."""
        group = (self.status, self.health, self.goal_area_id)
        yield (*group, NONE, NONE, NONE, NONE)
        for dimension, values in self.values.items():
            for value in values:
                yield (*group, dimension, value, NONE, NONE)
                for other, other_values in self.values.items():
                    if other != dimension:
                        for other_value in other_values:
                            yield (*group, dimension, value, other, other_value)

    def to_json(self) -> str:
        return json.dumps(
            [self.status, self.health, self.goal_area_id, self.values],
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> Profile:
        status, health, goal_area_id, values = json.loads(text)
        return cls(status, health, goal_area_id, {k: tuple(v) for k, v in values.items()})


def read_profiles(connection: Connection, project_ids: list[int] | None = None) -> dict:
    """The profiles of these projects (of all, with None) as the database has them now: four
    statements, whatever the number of projects."""

    def only(column):
        return [] if project_ids is None else [column.in_(project_ids)]

    values: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for project_id, name in connection.execute(
        select(ProjectParticipant.project_id, Organisation.municipality_name)
        .join(Organisation, Organisation.id == ProjectParticipant.organisation_id)
        .where(Organisation.municipality_name.is_not(None), *only(ProjectParticipant.project_id))
    ):
        values[project_id][MUNICIPALITY].add(name)
    for project_id, funder_id in connection.execute(
        select(Grant.project_id, Grant.funder_id).where(*only(Grant.project_id))
    ):
        values[project_id][FUNDER].add(str(funder_id))
    links = project_target_groups.c
    for project_id, group_id in connection.execute(
        select(links.project_id, links.target_group_id).where(*only(links.project_id))
    ):
        values[project_id][TARGET_GROUP].add(str(group_id))
    profiles = {}
    for row in connection.execute(
        select(
            Project.id,
            Project.status,
            Project.health,
            Project.goal_area_id,
            Project.starts_on,
            Project.ends_on,
        ).where(*only(Project.id))
    ):
        found = {name: tuple(sorted(found)) for name, found in values[row.id].items()}
        span = span_value(row.starts_on, row.ends_on)
        if span is not None:
            found[SPAN] = (span,)
        profiles[row.id] = Profile(row.status, row.health, row.goal_area_id, found)
    return profiles


def recount(connection: Connection, project_ids: Iterable[int]) -> None:
    """Apply to the counts what changed in these projects since they were last counted."""
    ids = sorted(set(project_ids))
    if not ids:
        return
    table = project_facet_profiles.c
    stored = {
        project_id: Profile.from_json(text)
        for project_id, text in connection.execute(
            select(table.project_id, table.profile)
            .where(table.project_id.in_(ids))
            .order_by(table.project_id)
            .with_for_update()
        )
    }
    current = read_profiles(connection, ids)
    changes: Counter = Counter()
    for project_id in ids:
        old, new = stored.get(project_id), current.get(project_id)
        if old == new:
            continue
        changes.update(new.keys() if new else ())
        changes.subtract(old.keys() if old else ())
    _add_to_counts(connection, changes)
    changed = [pid for pid in ids if stored.get(pid) != current.get(pid)]
    if changed:
        connection.execute(delete(project_facet_profiles).where(table.project_id.in_(changed)))
        rows = [
            {"project_id": pid, "profile": current[pid].to_json()}
            for pid in changed
            if pid in current
        ]
        if rows:
            connection.execute(insert(project_facet_profiles), rows)


def _add_to_counts(connection: Connection, changes: Counter) -> None:
    rows = [
        {**dict(zip(KEY_COLUMNS, key, strict=True)), "projects": change}
        for key, change in sorted(changes.items())
        if change
    ]
    if not rows:
        return
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(project_facet_counts)
    statement = statement.on_conflict_do_update(
        index_elements=list(KEY_COLUMNS),
        set_={"projects": project_facet_counts.c.projects + statement.excluded.projects},
    )
    connection.execute(statement, rows)


def rebuild(connection: Connection) -> int:
    """Count every project afresh (after bulk writes, and by the migration that made the
    tables); returns the number of projects counted."""
    profiles = read_profiles(connection)
    counts: Counter = Counter()
    for profile in profiles.values():
        counts.update(profile.keys())
    connection.execute(delete(project_facet_counts))
    connection.execute(delete(project_facet_profiles))
    _insert_in_batches(
        connection,
        project_facet_counts,
        [{**dict(zip(KEY_COLUMNS, key, strict=True)), "projects": n} for key, n in counts.items()],
    )
    _insert_in_batches(
        connection,
        project_facet_profiles,
        [{"project_id": pid, "profile": p.to_json()} for pid, p in profiles.items()],
    )
    return len(profiles)


def _insert_in_batches(connection: Connection, table, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        connection.execute(insert(table), rows[start : start + BATCH])


def _changed(instance, names: Iterable[str]) -> bool:
    attrs = inspect(instance).attrs
    return any(name in attrs and attrs[name].history.has_changes() for name in names)


def _project_ids(link) -> set[int]:
    """The projects a participant or grant belongs to and belonged to before the flush."""
    attrs = inspect(link).attrs
    before = [project.id for project in attrs.project.history.sum() if project is not None]
    return {link.project_id, *attrs.project_id.history.sum(), *before}


def _touched_projects(session: Session) -> set[int]:
    """The projects whose counts a flush may have changed. In `after_flush` the flushed
    instances still show their history, but not yet whether they were added or deleted: the
    session's `new` and `deleted` say that."""
    touched: set = set()
    moved_municipality: list[int] = []
    for instance in (*session.new, *session.dirty, *session.deleted):
        whole = instance in session.new or instance in session.deleted
        if isinstance(instance, Project) and (whole or _changed(instance, PROJECT_ATTRIBUTES)):
            touched.add(instance.id)
        elif isinstance(instance, (ProjectParticipant, Grant)) and (
            whole or _changed(instance, LINK_ATTRIBUTES)
        ):
            touched.update(_project_ids(instance))
        elif isinstance(instance, Organisation) and _changed(instance, ("municipality_name",)):
            moved_municipality.append(instance.id)
    if moved_municipality:
        touched.update(
            session.connection().scalars(
                select(ProjectParticipant.project_id).where(
                    ProjectParticipant.organisation_id.in_(moved_municipality)
                )
            )
        )
    touched.discard(None)
    return touched


def recount_after_flush(session: Session) -> None:
    if not session.info.get(BULK_KEY):
        recount(session.connection(), _touched_projects(session))


def note_bulk_write(session: Session, table) -> None:
    if table.name in WATCHED_TABLES:
        session.info[BULK_KEY] = [True]


def rebuild_before_commit(session: Session) -> None:
    if session.info.get(BULK_KEY):
        session.flush()
        rebuild(session.connection())
        session.info.pop(BULK_KEY, None)


def register_flush_hooks() -> None:
    after_commit.after_flush("facet_counts", recount_after_flush)
    after_commit.on_bulk_write("facet_counts_bulk_write", note_bulk_write)
    after_commit.before_commit("facet_counts_rebuild", rebuild_before_commit)
    after_commit.on_commit(BULK_KEY, None)
