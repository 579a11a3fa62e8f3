"""The statistics page reads saved figures; beat rebuilds them after changes.

The figures for a choice of filters are saved with the read cache's data version they were
built at. A page uses the saved figures while they are current, or while they are younger than
STATISTICS_MAX_AGE_SECONDS (the page then says when they were counted); otherwise it builds them
now and saves them. Beat rebuilds every saved choice whose data changed, every
STATISTICS_REFRESH_SECONDS, so a manager opening the page after a day of changes gets figures
at most a few minutes old without waiting for whole-table sums.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from portal.core.dates import utcnow
from portal.core.read_cache import current_version
from portal.extensions import db
from portal.statistics.models import StatisticsSnapshot
from portal.statistics.queries import Statistics, StatisticsFilters, build_statistics

log = logging.getLogger(__name__)

INDICATOR_DECIMALS = (3, 4)  # target and measured in indicators_by_* rows
INDICATOR_ROWS = ("indicators_by_area", "indicators_by_target_group")


@dataclass(frozen=True)
class Snapshot:
    statistics: Statistics
    built_at: datetime
    is_current: bool


def filters_key(filters: StatisticsFilters) -> str:
    return f"plan_period={filters.plan_period or ''};year={filters.year or ''}"


def encode(statistics: Statistics) -> dict:
    """Plain JSON: tuples become lists, Decimals strings; a single figure stays as it is."""
    payload = {}
    for field in fields(Statistics):
        if field.name == "filters":
            continue
        value = getattr(statistics, field.name)
        payload[field.name] = (
            [
                [str(cell) if isinstance(cell, Decimal) else cell for cell in row]
                if isinstance(row, tuple | list)
                else row
                for row in value
            ]
            if isinstance(value, list)
            else value
        )
    return payload


def is_complete(payload: dict) -> bool:
    """Whether saved figures hold every figure the page shows now: figures saved before a
    table was added are counted again rather than shown without it."""
    return all(field.name in payload for field in fields(Statistics) if field.name != "filters")


def decode(payload: dict, filters: StatisticsFilters) -> Statistics:
    values = {}
    for field in fields(Statistics):
        if field.name == "filters":
            continue
        value = payload[field.name]
        values[field.name] = (
            [tuple(row) if isinstance(row, list) else row for row in value]
            if isinstance(value, list)
            else value
        )
    for name in INDICATOR_ROWS:
        values[name] = [
            tuple(
                Decimal(value) if index in INDICATOR_DECIMALS and value is not None else value
                for index, value in enumerate(row)
            )
            for row in values[name]
        ]
    return Statistics(filters=filters, **values)


def snapshot_of(filters: StatisticsFilters) -> Snapshot:
    """The figures for the page: saved ones while current or young enough, else built now
    (and saved in the caller's transaction, which the view commits)."""
    version = current_version()
    row = db.session.execute(
        select(
            StatisticsSnapshot.payload,
            StatisticsSnapshot.built_at,
            StatisticsSnapshot.data_version,
        ).where(StatisticsSnapshot.filters_key == filters_key(filters))
    ).one_or_none()
    if row is not None and is_complete(row.payload):
        is_current = row.data_version is not None and row.data_version == version
        if is_current or utcnow() - row.built_at < max_age():
            return Snapshot(decode(row.payload, filters), row.built_at, is_current)
    return rebuild(filters, version)


def max_age() -> timedelta:
    return timedelta(seconds=current_app.config["STATISTICS_MAX_AGE_SECONDS"])


def rebuild(filters: StatisticsFilters, version: int | None) -> Snapshot:
    statistics = build_statistics(filters)
    built_at = utcnow()
    values = {
        "filters_key": filters_key(filters),
        "data_version": version,
        "built_at": built_at,
        "payload": encode(statistics),
    }
    insert = postgresql_insert if _on_postgresql() else sqlite_insert
    statement = insert(StatisticsSnapshot).values(**values)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=[StatisticsSnapshot.filters_key],
            set_={key: statement.excluded[key] for key in values if key != "filters_key"},
        )
    )
    return Snapshot(statistics, built_at, True)


def _on_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def parse_key(key: str) -> StatisticsFilters:
    parts = dict(part.split("=", 1) for part in key.split(";"))
    return StatisticsFilters(
        plan_period=int(parts["plan_period"]) if parts.get("plan_period") else None,
        year=int(parts["year"]) if parts.get("year") else None,
    )


def refresh_stale_snapshots() -> int:
    """Rebuild each saved choice of filters whose data changed, and the unfiltered page if it
    was never built; returns how many were rebuilt. Beat calls it; the caller commits."""
    version = current_version()
    saved = dict(
        db.session.execute(
            select(StatisticsSnapshot.filters_key, StatisticsSnapshot.data_version)
        ).all()
    )
    saved.setdefault(filters_key(StatisticsFilters()), None)
    stale = [
        key for key, built_with in saved.items() if built_with is None or built_with != version
    ]
    for key in stale:
        rebuild(parse_key(key), version)
    if stale:
        log.info("%d statistics snapshots rebuilt at data version %s", len(stale), version)
    return len(stale)
