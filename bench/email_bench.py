"""The two email figures of `make bench`:

(a) a POST that publishes a news item to 5 000 readers who want news immediately returns in
    under 200 ms (the fan-out runs in a worker after the commit): the median and the worst of
    the rounds' publications, each gunicorn worker's first one included;
(b) a real Celery worker (2 processes, each draining its own batches over its own SMTP
    connection) drains those 5 000 emails to a local aiosmtpd server at ≥ 80 % of the rate of a
    plain smtplib loop sending the same messages over one reused connection, measured in the
    same run, alternating, because these machines drift.

The SMTP server runs in its own process (bench/smtp_sink.py) so neither side shares its GIL; at
the end two smtplib loops at once show whether the server itself limits the figures.
"""

import http.client
import os
import re
import signal
import smtplib
import statistics
import subprocess
import sys
import time
import urllib.parse
from concurrent.futures import ProcessPoolExecutor
from email.utils import parseaddr

import psycopg
from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload

READERS = int(os.environ.get("BENCH_READERS", "5000"))
ROUNDS = int(os.environ.get("BENCH_EMAIL_ROUNDS", "5"))
AUTHOR_EMAIL = "nyhetsredaktor@lansbiblioteket.example"
PUBLISH_TARGET_MS = 200
DRAIN_TARGET = 0.8


def seed_readers(readers: int) -> None:
    """The demo data, a staff author and `readers` members who want news immediately."""
    from bench.seed import BENCH_PASSWORD, _insert, give_bench_keys
    from portal.accounts.models import Organisation, User
    from portal.accounts.passwords import hash_password
    from portal.demo import load_demo
    from portal.extensions import db
    from portal.notifications.models import NotificationPreference

    load_demo()
    library = db.session.scalar(
        select(Organisation.id).where(Organisation.kind == "municipal_library")
    )
    password_hash = hash_password(BENCH_PASSWORD)
    common = {
        "password_hash": password_hash,
        "language": "sv",
        "active": True,
        "session_version": 1,
    }
    db.session.execute(
        insert(User),
        [{"email": AUTHOR_EMAIL, "name": "Nyhetsredaktör", "role": "staff", **common}],
    )
    give_bench_keys(AUTHOR_EMAIL)
    first = (db.session.scalar(select(db.func.max(User.id))) or 0) + 1
    _insert(
        User,
        lambda n: {
            "email": f"lasare{n}@bibliotek.example",
            "name": f"Läsare {n}",
            "role": "member",
            "organisation_id": library,
            **common,
            "language": "en" if n % 5 == 0 else "sv",
        },
        readers,
    )
    _insert(
        NotificationPreference,
        lambda n: {"user_id": first + n, "kind": "news", "frequency": "immediately"},
        readers,
    )


def start_process(command: list[str], env: dict, ready) -> subprocess.Popen:
    process = subprocess.Popen(
        command,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE if os.environ.get("BENCH_QUIET", "1") == "1" else None,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not ready():
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{command[2:4]} did not start")
        time.sleep(0.2)
    return process


def stop(process: subprocess.Popen | None) -> None:
    if process is not None and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def answers_smtp(port: int) -> bool:
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=1) as smtp:
            return smtp.noop()[0] == 250
    except OSError:
        return False


def answers_redis(port: int) -> bool:
    import redis

    try:
        return redis.Redis(port=port, socket_timeout=1).ping()
    except redis.RedisError:
        return False


def publish(base: str, cookie: str, user_agent: str, round_number: int) -> float:
    """POST a news item for everyone; returns how long the POST took in ms."""
    host, port = base.removeprefix("http://").split(":")
    headers = {"Cookie": cookie, "User-Agent": user_agent}
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    conn.request("GET", "/nyheter/ny", headers=headers)
    page = conn.getresponse().read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {
            "csrf_token": token,
            "title": f"Bokstart till Västernorrland! ({round_number})",
            "body": "Nu börjar **Bokstart** i hela länet. Läs mer om hur det går till.",
            "status": "published",
            "audience": "everyone",
        }
    )
    started = time.perf_counter()
    conn.request(
        "POST",
        "/nyheter/ny",
        body=form,
        headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
    )
    response = conn.getresponse()
    response.read()
    elapsed = (time.perf_counter() - started) * 1000
    conn.close()
    if response.status != 302:
        raise RuntimeError(f"publishing answered {response.status}: the measurement is void")
    return elapsed


def count(libpq_url: str, where: str = "") -> int:
    with psycopg.connect(libpq_url, autocommit=True) as conn:
        return counted(conn, where)


def counted(conn: psycopg.Connection, where: str = "") -> int:
    return conn.execute(f"SELECT count(*) FROM outbound_emails {where}").fetchone()[0]


def wait_for(condition, timeout: float, interval: float, what: str) -> float:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"waited {timeout:.0f} s in vain for {what}")
        time.sleep(interval)
    return time.perf_counter()


def drain_rate(libpq_url: str, before: int) -> float:
    """Emails per second from the moment the fan-out's rows are all there until the last one
    is recorded sent (its `sent_at`, naive UTC, so the poll's interval does not count).

    Watched over one connection: a new connection per look (a PostgreSQL backend forked 50
    times a second) took CPU from the worker it measures, and the floor never paid for it.
    """
    with psycopg.connect(libpq_url, autocommit=True) as conn:
        wait_for(
            lambda: counted(conn) >= before + READERS, 120, 0.01, "the fan-out to write the outbox"
        )
        started = time.time()
        wait_for(
            lambda: counted(conn, "WHERE status = 'sent'") >= before + READERS,
            600,
            0.1,
            "the worker to send every email",
        )
        failed = counted(conn, "WHERE status <> 'sent'")
        finished = conn.execute(
            "SELECT extract(epoch FROM max(sent_at)) FROM outbound_emails"
        ).fetchone()[0]
    if failed:
        raise RuntimeError(f"{failed} emails not sent: the measurement is void")
    return READERS / (float(finished) - started)


def plain_messages(app, limit: int) -> list[tuple[str, bytes]]:
    """The portal's own last `limit` emails as the bytes the worker sends, built before the
    clock starts."""
    from portal.extensions import db
    from portal.notifications.messages import message_bytes
    from portal.notifications.models import OutboundEmail

    with app.app_context():
        rows = db.session.scalars(
            select(OutboundEmail)
            .order_by(OutboundEmail.id.desc())
            .limit(limit)
            .options(selectinload(OutboundEmail.attachments))
        ).all()
        return [(row.recipient, message_bytes(row)) for row in rows]


def plain_smtplib_rate(port: int, messages: list[tuple[str, bytes]], sender: str) -> float:
    """The floor: one connection, `sendmail` in a loop, nothing else."""
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        for recipient, data in messages:
            smtp.sendmail(sender, [recipient], data)
    return len(messages) / (time.perf_counter() - started)


def sink_ceiling(port: int, messages: list[tuple[str, bytes]], sender: str) -> tuple[float, float]:
    """What the SMTP server itself can take: two smtplib loops in two processes at once, each
    with half the messages, against one loop right after. If two loops are hardly faster than
    one, the server (not the sender) sets the pace of the floor and of the worker alike."""
    half = len(messages) // 2
    with ProcessPoolExecutor(2) as pool:
        list(
            pool.map(
                plain_smtplib_rate, [port, port], [messages[:20], messages[20:40]], [sender] * 2
            )
        )
        started = time.perf_counter()
        list(
            pool.map(
                plain_smtplib_rate, [port, port], [messages[:half], messages[half:]], [sender] * 2
            )
        )
        both = len(messages) / (time.perf_counter() - started)
    return both, plain_smtplib_rate(port, messages, sender)


def run(tools) -> None:
    """`tools` is bench/__main__ (database, gunicorn and login helpers)."""
    from bench.seed import BENCH_PASSWORD
    from portal import create_app

    name = tools.create_database()
    url = tools.database_url(name)
    libpq_url = url.replace("postgresql+psycopg://", "postgresql://")
    processes: list[subprocess.Popen] = []
    try:
        started = time.perf_counter()
        app = create_app("development", {"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            seed_readers(READERS)
        tools.analyse(url)
        print(f"email bench: {READERS} readers seeded in {time.perf_counter() - started:.0f} s")

        smtp_port, redis_port, web_port = tools.free_port(), tools.free_port(), tools.free_port()
        processes.append(
            start_process(
                [sys.executable, "-m", "bench.smtp_sink", str(smtp_port)],
                {},
                lambda: answers_smtp(smtp_port),
            )
        )
        redis_dir = f"/tmp/bench-redis-{redis_port}"
        os.makedirs(redis_dir, exist_ok=True)
        processes.append(
            start_process(
                [
                    "redis-server",
                    "--port",
                    str(redis_port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    redis_dir,
                ],  # fmt: skip
                {},
                lambda: answers_redis(redis_port),
            )
        )
        env = {
            "DATABASE_URL": url,
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{redis_port}/0",
            "PORTAL_ENV": "development",
            "SECRET_KEY": "bench-secret",
            "MAIL_BACKEND": "smtp",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(smtp_port),
            "MAIL_USE_TLS": "0",
            "MAIL_USERNAME": "",
            "PORTAL_INSTANCE_DIR": f"/tmp/bench-worker-{redis_port}",
        }
        worker_log = f"/tmp/bench-worker-{redis_port}.log"
        processes.append(
            start_process(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "portal.worker",
                    "worker",
                    "--concurrency=2",
                    "--pool=prefork",
                    "--without-mingle",
                    "--without-gossip",
                    "--loglevel=INFO",
                    f"--logfile={worker_log}",
                ],  # fmt: skip
                env,
                lambda: os.path.exists(worker_log) or time.sleep(2) or True,
            )
        )
        processes.append(tools.start_gunicorn(url, web_port, extra_env=env))
        base = f"http://127.0.0.1:{web_port}"
        cookie = tools.session_cookie(base, AUTHOR_EMAIL, BENCH_PASSWORD)
        sender = parseaddr(app.config["MAIL_FROM"])[1]

        print(f"\nnews to {READERS} readers who want it immediately; {ROUNDS} rounds")
        print(
            "worker: Celery, 2 prefork processes, prefetch 1, on Redis and PostgreSQL; batches of"
            f" {app.config['OUTBOX_BATCH_SIZE']}, each over its own SMTP connection, so the two"
            " processes send at once\nfloor:  one smtplib loop over one reused connection,"
            " the same messages' bytes built beforehand"
        )
        print(
            f"{'round':>5} {'publish ms':>10} {'worker /s':>10} {'smtplib /s':>10} {'ratio':>6}"
            f"  targets: publish < {PUBLISH_TARGET_MS} ms, ratio ≥ {DRAIN_TARGET:.2f}"
        )
        # No unmeasured warm-up publication: each gunicorn worker's first one is measured too
        # (prepare_to_serve pays its one-off costs when the process starts).
        publish_times, ratios, messages = [], [], []
        for round_number in range(1, ROUNDS + 1):
            before = count(libpq_url)
            publish_ms = publish(base, cookie, tools.USER_AGENT, round_number)
            worker_rate = drain_rate(libpq_url, before)
            messages = plain_messages(app, READERS)
            floor_rate = plain_smtplib_rate(smtp_port, messages, sender)
            ratio = worker_rate / floor_rate
            publish_times.append(publish_ms)
            ratios.append(ratio)
            print(
                f"{round_number:>5} {publish_ms:10.0f} {worker_rate:10.0f} {floor_rate:10.0f} "
                f"{ratio:6.2f}"
            )
        publish_ms, worst_ms = statistics.median(publish_times), max(publish_times)
        ratio = statistics.median(ratios)
        print(
            f"publish: median {publish_ms:.0f} ms, worst {worst_ms:.0f} ms"
            f" (target < {PUBLISH_TARGET_MS} ms): "
            + ("ok" if worst_ms < PUBLISH_TARGET_MS else "BELOW TARGET")
        )
        print(
            f"drain:   median ratio {ratio:.2f} (target ≥ {DRAIN_TARGET:.2f}): "
            + ("ok" if ratio >= DRAIN_TARGET else "BELOW TARGET")
        )
        both, one = sink_ceiling(smtp_port, messages, sender)
        print(
            f"SMTP server: two smtplib loops at once {both:.0f}/s, {both / one:.1f}× one loop"
            f" ({one:.0f}/s): "
            + (
                "the server is not what limits either figure"
                if both / one >= 1.5
                else "the server limits both figures, the ratio measures it"
            )
        )
    finally:
        for process in reversed(processes):
            stop(process)
        tools.drop_database(name)
