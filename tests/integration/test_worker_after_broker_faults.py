"""A worker outlives a frozen or restarted broker, and its health check tells when it cannot."""

import os
import signal
import time

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.notifications.models import OutboundEmail
from proof.processes import wait_until
from tests.notifications.factories import queue_reset_email

pytestmark = [pytest.mark.integration, pytest.mark.both_databases]

# More than twice the web's 1.5 s broker timeout, which used to cost the worker a task slot for
# every task that finished during a freeze.
FREEZE_SECONDS = 4


def statuses() -> list[str]:
    db.session.rollback()
    return db.session.scalars(select(OutboundEmail.status)).all()


def test_worker_uses_both_slots_after_redis_was_frozen_twice_mid_delivery(
    app, celery_worker, smtp_server, redis_server
):
    celery_worker()
    smtp_server.slow_down(1.0)  # both slots are still sending when Redis freezes
    for freeze in range(2):
        for n in range(2):
            queue_reset_email(f"frysning{freeze}.{n}@kramfors.example")
        wait_until(lambda: smtp_server.receiving == 2, message="two deliveries in progress")
        redis_server.freeze()
        time.sleep(FREEZE_SECONDS)  # the tasks finish and try to acknowledge meanwhile
        redis_server.thaw()
        wait_until(lambda: "queued" not in statuses(), timeout=20, message="the 2 emails")

    for n in range(2):
        queue_reset_email(f"efter{n}@kramfors.example")
    wait_until(
        lambda: smtp_server.receiving == 2,
        timeout=20,
        message="two emails sent at once after the freezes, without a restart",
    )
    smtp_server.slow_down(0)
    for n in range(20):
        queue_reset_email(f"person{n}@kramfors.example")
    wait_until(lambda: statuses().count("sent") == 26, timeout=30, message="all 26 emails")


def worker_health(app, timeout: float):
    return app.test_cli_runner().invoke(args=["portal", "worker-health", "--timeout", str(timeout)])


def test_worker_health_passes_while_the_worker_consumes_and_fails_once_it_cannot(
    app, client, celery_worker
):
    worker = celery_worker()

    healthy = worker_health(app, 20)
    assert healthy.exit_code == 0, healthy.output
    assert client.get("/readyz").get_json()["worker"] is True

    os.killpg(worker.process.pid, signal.SIGSTOP)  # alive, holding its connections, taking nothing
    try:
        stalled = worker_health(app, 2)
    finally:
        os.killpg(worker.process.pid, signal.SIGCONT)
    assert stalled.exit_code == 1
    assert "no worker ran a heartbeat task" in stalled.output
