"""The demo's data files, regions/demo/*.toml, and the dates in them that count from today."""

import tomllib
from datetime import date, datetime, timedelta
from typing import Any

from portal.core.dates import STOCKHOLM, utcnow
from portal.regions import REGIONS_DIR

DEMO_DIR = REGIONS_DIR / "demo"


def read(name: str) -> dict[str, Any]:
    """regions/demo/<name>.toml."""
    return tomllib.loads((DEMO_DIR / f"{name}.toml").read_text("utf-8"))


def day(value: date | int, today: date) -> date:
    """A day of the data: a TOML date is that day, a whole number that many days from today."""
    if isinstance(value, date):
        return value
    return today + timedelta(days=value)


def moment(value: dict[str, Any], today: date) -> datetime:
    """A moment of the data, `{ days = N, time = HH:MM:SS }`: that time in Stockholm N days from
    today; without a time, exactly N days from now."""
    if "time" in value:
        return datetime.combine(today + timedelta(days=value["days"]), value["time"], STOCKHOLM)
    return utcnow() + timedelta(days=value["days"])
