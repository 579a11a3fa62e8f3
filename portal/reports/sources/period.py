"""What every source takes and gives: the report's `Period` and the `Draft` drafted from it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from portal.projects.models import Grant, Project


@dataclass(frozen=True)
class Period:
    project: Project
    grant: Grant
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class Draft:
    data: dict
    text: str
