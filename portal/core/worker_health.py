"""Whether a worker really takes tasks: a row that a task refreshes when a worker runs it.

Beat sends `record_worker_heartbeat` every WORKER_HEARTBEAT_SECONDS with a short expiry; a
worker that consumes runs it and stamps the row. `/readyz` reports the stamp's age, and
`flask portal worker-health` (the worker's compose healthcheck) sends one itself and waits for a
worker to run it. A worker that answers `celery inspect ping` but takes no tasks (its slots lost
to a broker fault) leaves the stamp to age, so both say so.
"""

import socket
from datetime import datetime, timedelta

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.dates import UTCDateTime, utcnow
from portal.extensions import Model, db

HEARTBEAT_NAME = "worker"


class WorkerHeartbeat(Model):
    __tablename__ = "worker_heartbeats"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime)
    hostname: Mapped[str] = mapped_column(String(200))


def record_heartbeat() -> datetime:
    """Stamp the row now (insert it the first time); commits."""
    now = utcnow()
    row = db.session.get(WorkerHeartbeat, HEARTBEAT_NAME)
    if row is None:
        row = WorkerHeartbeat(name=HEARTBEAT_NAME, beat_at=now, hostname=socket.gethostname())
        db.session.add(row)
    else:
        row.beat_at, row.hostname = now, socket.gethostname()
    db.session.commit()
    return now


def last_heartbeat() -> datetime | None:
    return db.session.scalar(
        select(WorkerHeartbeat.beat_at).where(WorkerHeartbeat.name == HEARTBEAT_NAME)
    )


def worker_is_consuming(max_age_seconds: float) -> bool:
    """A worker ran a heartbeat task within the last `max_age_seconds`."""
    beat_at = last_heartbeat()
    return beat_at is not None and utcnow() - beat_at <= timedelta(seconds=max_age_seconds)
