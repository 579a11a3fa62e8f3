"""The outbox's fault matrix (`make proof-matrix`, `python -m proof --matrix`): 1 000 emails per
scenario, queued through the portal's own code, delivered by a real worker and beat through a
Redis and a PostgreSQL cluster of the matrix's own (so it can stop, freeze and restart them) to
an aiosmtpd server whose behaviour each scenario switches; one fault per scenario.

For each it prints the emails expected, delivered (distinct Message-IDs accepted by the SMTP
server), lost, sent twice (accepted copies beyond the first) and the time from the commit to the
last row sent or failed. The verdict is per scenario: nothing lost, at most MAX_TWICE sent twice,
the 550 row failed; nothing is restarted except a process the scenario killed.
"""

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import flask_migrate
from sqlalchemy import select

from portal import create_app
from portal.extensions import db
from portal.notifications.models import OutboundEmail
from portal.notifications.outbox import deliver_queued_in_batches, queue_email
from proof.mailserver import SMTPServer, running_smtp_server
from proof.processes import ROOT, Process, RedisServer, free_port, wait_until

EMAILS = int(os.environ.get("MATRIX_EMAILS", "1000"))
MAX_TWICE = 2  # at most one per SMTP connection, 2 with the default concurrency
DRAIN_LIMIT_SECONDS = 120


def installed_postgres_bin() -> Path:
    """Debian's newest PostgreSQL server binaries (/usr/lib/postgresql/<version>/bin)."""
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda path: int(path.parts[-3])
    )
    return versions[-1].parent if versions else Path("/usr/lib/postgresql/15/bin")


POSTGRES_BIN = Path(os.environ.get("POSTGRES_BIN") or installed_postgres_bin())
REFUSED_RECIPIENT = "finns.inte@matris.example"

# Short settings for the run, so that a retry, a sweep and a stale claim come within seconds.
RUN_SETTINGS = {
    "OUTBOX_RETRY_BASE_SECONDS": "1",
    "OUTBOX_SWEEP_SECONDS": "2",
    "OUTBOX_CLAIM_TIMEOUT_SECONDS": "5",
    "OUTBOX_BATCH_SIZE": "200",
    "OUTBOX_MAX_ATTEMPTS": "12",
    "MAIL_TIMEOUT_SECONDS": "5",
    "WORKER_HEARTBEAT_SECONDS": "5",
}


class PostgresCluster:
    """initdb into a folder of our own, on a free port; `pg_ctl restart -m fast` is ours to do.
    PostgreSQL refuses to run as root, so then it runs as the `postgres` user."""

    def __init__(self, folder: Path):
        self.folder, self.port = folder, free_port()
        self.data = folder / "data"
        self.prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str) -> None:
        subprocess.run([*self.prefix, *command], check=True, stdout=subprocess.DEVNULL, cwd="/")

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.prefix:
            self.folder.parent.chmod(0o711)  # mkdtemp's 0700 would keep `postgres` out
            shutil.chown(self.folder, "postgres")
        self._run(
            str(POSTGRES_BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
            "--auth=trust", "--no-sync", "-E", "UTF8",
        )  # fmt: skip
        self._pg_ctl("start")

    def _pg_ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            str(POSTGRES_BIN / "pg_ctl"), "-D", str(self.data), "-l",
            str(self.folder / "postgres.log"), "-o", options, "-w", action, *extra,
        )  # fmt: skip

    def restart(self) -> None:
        self._pg_ctl("restart", "-m", "fast")

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._pg_ctl("stop", "-m", "immediate")


@dataclass
class Stack:
    folder: Path
    postgres: PostgresCluster
    redis: RedisServer
    smtp: SMTPServer
    worker: Process
    beat: Process
    app: object

    def worker_children(self) -> list[int]:
        pid = self.worker.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return [int(child) for child in children]

    def restart_worker(self) -> None:
        self.worker.kill()
        self.worker.start()
        self.worker.wait_for_log(" ready.", timeout=60)


def process_env(stack_folder: Path, database_url: str, broker_url: str, smtp) -> dict:
    return {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/root"),
        "LANG": "C.UTF-8",
        "PORTAL_ENV": "development",
        "PORTAL_INSTANCE_DIR": str(stack_folder / "instance"),
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": smtp.host,
        "MAIL_PORT": str(smtp.port),
        "MAIL_USE_TLS": "0",
        "MAIL_USERNAME": "",
        **RUN_SETTINGS,
    }


@contextlib.contextmanager
def running_stack(folder: Path) -> Iterator[Stack]:
    with contextlib.ExitStack() as cleanup:
        postgres = PostgresCluster(folder / "postgres")
        cleanup.callback(postgres.stop)
        postgres.start()
        redis = RedisServer(shutil.which("redis-server"), free_port(), folder / "redis")
        cleanup.callback(lambda: (redis.thaw() if redis.running else None, redis.stop()))
        redis.start()
        smtp = cleanup.enter_context(running_smtp_server())
        app = create_app(
            "development",
            {
                "SQLALCHEMY_DATABASE_URI": postgres.url,
                "CELERY_BROKER_URL": redis.url,
                "INSTANCE_DIR": str(folder / "web"),
                "MAIL_BACKEND": "smtp",
            },
        )
        with app.app_context():
            flask_migrate.upgrade(directory=str(ROOT / "migrations"))
        env = process_env(folder, postgres.url, redis.url, smtp)
        celery = [sys.executable, "-m", "celery", "-A", "portal.worker"]
        worker = Process(
            "worker",
            [*celery, "worker", "--loglevel=INFO", "--concurrency=2", "--pool=prefork",
             "--without-mingle", "--without-gossip"],
            env, folder / "worker.log",
        )  # fmt: skip
        beat = Process(
            "beat",
            [*celery, "beat", "--loglevel=INFO", "--schedule", str(folder / "beat-schedule")],
            env, folder / "beat.log",
        )  # fmt: skip
        cleanup.callback(worker.stop, 5)
        cleanup.callback(beat.stop, 5)
        worker.start()
        worker.wait_for_log(" ready.", timeout=60)
        beat.start()
        yield Stack(folder, postgres, redis, smtp, worker, beat, app)


# --- the faults: each gets the stack and returns when its fault is over -------------------------


def after_first(stack: Stack, count: int = 100) -> None:
    """Until the first `count` emails of this scenario have arrived: the fault lands mid-drain."""
    wait_until(lambda: len(stack.smtp.delivered) >= count, timeout=60, message=f"{count} emails")


def smtp_socket_inodes(port: int) -> set[str]:
    """Inodes of the established TCP connections to `port` on loopback (/proc/net/tcp)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[2].endswith(f":{port:04X}") and fields[3] == "01":
            inodes.add(fields[9])
    return inodes


def sending_child(stack: Stack) -> int | None:
    """A pool child with a connection to the SMTP server open: one in the middle of a batch."""
    inodes = smtp_socket_inodes(stack.smtp.port)
    for child in stack.worker_children():
        with contextlib.suppress(OSError):
            for fd in Path(f"/proc/{child}/fd").iterdir():
                link = os.readlink(fd)
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    return child
    return None


def kill_a_pool_child(stack: Stack) -> None:
    after_first(stack)
    child = wait_until(lambda: sending_child(stack), timeout=10, message="a child sending")
    os.kill(child, signal.SIGKILL)


def kill_the_main_worker(stack: Stack) -> None:
    after_first(stack)
    stack.restart_worker()


def stop_redis(stack: Stack) -> None:
    after_first(stack)
    stack.redis.stop()
    time.sleep(10)
    stack.redis.start()


def freeze_redis_twice(stack: Stack) -> None:
    after_first(stack)
    for _ in range(2):
        stack.redis.freeze()
        time.sleep(10)
        stack.redis.thaw()
        time.sleep(1)


def restart_postgres(stack: Stack) -> None:
    after_first(stack)
    stack.postgres.restart()


def smtp(method: str, *args) -> Callable[[Stack], None]:
    def fault(stack: Stack) -> None:
        getattr(stack.smtp, method)(*args)

    return fault


@dataclass
class Scenario:
    name: str
    before: Callable[[Stack], None] | None = None  # before the emails are queued
    during: Callable[[Stack], None] | None = None  # once they are queued
    refused: int = 0  # rows that must end failed (the 550)


SCENARIOS = [
    Scenario("kill -9 a pool child", during=kill_a_pool_child),
    Scenario("kill -9 the main worker, restart", during=kill_the_main_worker),
    Scenario("Redis stopped 10 s", during=stop_redis),
    Scenario("Redis frozen 10 s, twice", during=freeze_redis_twice),
    Scenario("SMTP 451 for 30 s", before=smtp("refuse_for", 30, "451 4.3.0 try later")),
    Scenario("SMTP 421 for 20 s", before=smtp("refuse_for", 20, "421 4.3.2 shutting down")),
    Scenario("SMTP hanging 20 s", before=smtp("hang_for", 20)),
    Scenario("SMTP 0.2 s per message for 15 s", before=smtp("slow_for", 15, 0.2)),
    Scenario(
        "550 for one recipient",
        before=smtp("refuse_recipient", REFUSED_RECIPIENT, "550 5.1.1 no such user"),
        refused=1,
    ),
    Scenario("PostgreSQL restarted (-m fast)", during=restart_postgres),
]


def queue_emails(stack: Stack, number: int, count: int) -> list[str]:
    """`count` password-reset emails through queue_email in one commit, handed to the worker
    in batches of OUTBOX_BATCH_SIZE after it (`deliver_queued_in_batches`, as a news item's
    fan-out and the digests do), not one task each. Returns their Message-IDs."""
    with stack.app.app_context():
        rows = []
        for n in range(count):
            to = REFUSED_RECIPIENT if n == count // 2 else f"s{number}.p{n}@matris.example"
            rows.append(
                queue_email(
                    to,
                    "password_reset",
                    "Återställ ditt lösenord",
                    user=SimpleNamespace(name=f"Person {n}"),
                    link="https://portal.example/aterstall-losenord/abc",
                )
            )
        message_ids = [row.message_id for row in rows]
        deliver_queued_in_batches()
        db.session.commit()
        return message_ids


def row_states(stack: Stack, message_ids: list[str]) -> Counter:
    with stack.app.app_context():
        statuses = db.session.scalars(
            select(OutboundEmail.status).where(OutboundEmail.message_id.in_(message_ids))
        )
        return Counter(statuses)


def drained(stack: Stack, message_ids: list[str]) -> bool:
    try:
        states = row_states(stack, message_ids)
    except Exception:  # the database is restarting
        return False
    return states["sent"] + states["failed"] == len(message_ids)


@dataclass
class Row:
    name: str
    expected: int
    delivered: int
    lost: int
    twice: int
    failed: int
    seconds: float
    verdict: str


# The server's time per message while a process or broker fault is applied: a batch of 200 then
# takes 2 s, so the fault lands in the middle of one, as it would against a real relay.
PACE_SECONDS = 0.01


def run_scenario(stack: Stack, number: int, scenario: Scenario, count: int) -> Row:
    stack.smtp.behave()
    if scenario.before:
        scenario.before(stack)
    else:
        stack.smtp.slow_down(PACE_SECONDS)
    started = time.monotonic()
    message_ids = queue_emails(stack, number, count)
    if scenario.during:
        scenario.during(stack)
    return finish(stack, scenario, message_ids, started, count)


def queued_while_redis_stopped(stack: Stack, number: int, count: int) -> Row:
    """The last scenario: Redis is stopped before the commit, so no task reaches the worker;
    the sweep delivers them once Redis is back."""
    stack.smtp.behave()
    stack.smtp.slow_down(PACE_SECONDS)
    stack.redis.stop()
    started = time.monotonic()
    message_ids = queue_emails(stack, number, count)
    time.sleep(max(0.0, 10 - (time.monotonic() - started)))
    stack.redis.start()
    scenario = Scenario("emails queued while Redis is stopped")
    return finish(stack, scenario, message_ids, started, count)


def finish(
    stack: Stack, scenario: Scenario, message_ids: list[str], started: float, count: int
) -> Row:
    """Wait for every row to be sent or failed, then count what the SMTP server accepted."""
    note = ""
    try:
        wait_until(lambda: drained(stack, message_ids), timeout=DRAIN_LIMIT_SECONDS, interval=0.2)
    except AssertionError:
        note = f"not drained in {DRAIN_LIMIT_SECONDS} s; "
    seconds = time.monotonic() - started
    time.sleep(0.5)
    wanted = set(message_ids)
    copies = Counter(e.message_id for e in stack.smtp.delivered if e.message_id in wanted)
    states = row_states(stack, message_ids)
    expected = count - scenario.refused
    lost = expected - len(copies)
    twice = sum(n - 1 for n in copies.values())
    problems = [f"{lost} lost"] if lost > 0 else []
    if twice > MAX_TWICE:
        problems.append(f"{twice} sent twice > {MAX_TWICE}")
    if states["failed"] != scenario.refused:
        problems.append(f"{states['failed']} failed, {scenario.refused} expected")
    verdict = "ok" if not (problems or note) else "FAIL: " + note + ", ".join(problems)
    return Row(
        scenario.name, expected, len(copies), lost, twice, states["failed"], seconds, verdict
    )


HEADER = (
    f"{'fault':40} {'expected':>8} {'delivered':>9} {'lost':>5} {'twice':>6} {'failed':>6} "
    f"{'drain':>7}  verdict"
)


def print_row(row: Row) -> None:
    print(
        f"{row.name:40} {row.expected:>8} {row.delivered:>9} {row.lost:>5} {row.twice:>6} "
        f"{row.failed:>6} {row.seconds:>6.1f}s  {row.verdict}",
        flush=True,
    )


def run_matrix(count: int = EMAILS, only: str | None = None) -> int:
    """Run every scenario (or those whose name contains `only`); returns how many failed."""
    started = time.monotonic()
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd: a line per command
    folder = Path(tempfile.mkdtemp(prefix="portal-matrix-"))
    rows: list[Row] = []
    try:
        with running_stack(folder) as stack:
            print(f"matrix stack up in {time.monotonic() - started:.0f} s: PostgreSQL "
                  f"(own cluster, port {stack.postgres.port}), Redis, worker (2 processes), "
                  f"beat, aiosmtpd; {count} emails per scenario", flush=True)  # fmt: skip
            print(HEADER, flush=True)
            for number, scenario in enumerate(SCENARIOS, start=1):
                if only and only not in scenario.name:
                    continue
                rows.append(run_scenario(stack, number, scenario, count))
                print_row(rows[-1])
            if not only or only in "emails queued while Redis is stopped":
                rows.append(queued_while_redis_stopped(stack, len(SCENARIOS) + 1, count))
                print_row(rows[-1])
    except BaseException:
        for name in ("worker.log", "beat.log"):
            path = folder / name
            if path.exists():
                print(f"--- {name}\n" + "\n".join(path.read_text().splitlines()[-30:]))
        raise
    finally:
        if os.environ.get("MATRIX_KEEP"):
            print(f"matrix: logs kept in {folder} (MATRIX_KEEP)")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    failed = sum(1 for row in rows if row.verdict != "ok")
    took = time.monotonic() - started
    print(f"matrix: {len(rows) - failed} ok, {failed} failed, in {took:.0f} s", flush=True)
    return failed
