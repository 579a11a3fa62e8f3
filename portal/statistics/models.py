"""Saved statistics: the page's figures for one choice of filters, kept between changes.

Building the figures reads whole tables (a second or more at 100 000 projects), so they are kept
in the database, where every web process and the worker share them. No page shows this table
as such, so writing it does not raise the read cache's data version.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.dates import UTCDateTime, utcnow
from portal.extensions import Model, db


class StatisticsSnapshot(Model):
    __tablename__ = "statistics_snapshots"
    read_cache_ignored = True

    id: Mapped[int] = mapped_column(primary_key=True)
    filters_key: Mapped[str] = mapped_column(String(64), unique=True)
    data_version: Mapped[int | None] = mapped_column(BigInteger)
    built_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    payload: Mapped[dict] = mapped_column(db.JSON)
