"""Time is stored in UTC and shown in Europe/Stockholm.

One date style in every language: ISO 8601, "2026-12-07" and "2026-12-07 09:45" (24-hour,
Swedish local time). It is the Swedish standard, it reads the same in the English interface
(no "12/7/26, 8:45 AM" beside ISO dates), and it is what the exports, the PDFs and the forms
use. Templates show times with the `local_time` filter, never Babel's `datetimeformat`.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def utcnow() -> datetime:
    return datetime.now(UTC)


def local_time(value: datetime | None) -> str:
    """2026-12-02 08:00, Swedish time, for a stored UTC time."""
    return value.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M") if value else ""


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every backend (SQLite keeps no zone of its own)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use portal.core.dates.utcnow()")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):
        return value.replace(tzinfo=UTC) if value is not None else None


def alembic_render_item(type_, obj, autogen_context):
    """Migrations store UTCDateTime as a plain DateTime, so they never import portal code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False
