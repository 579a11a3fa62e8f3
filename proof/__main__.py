"""`make proof` (`python -m proof`): the portal deployed as docker-compose.yml defines it,
without Docker, and the journeys of people who use it, over HTTPS.

Prints one line per journey with its time. Stops everything it started and removes what it made
(processes, the PostgreSQL database, the folder), also when a journey fails or on Ctrl-C.
Without PostgreSQL, redis-server or openssl it is skipped with a note; under CI=true it fails.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from proof import journeys, matrix
from proof.deployment import Deployment, elapsed
from proof.processes import ROOT, postgres_reachable
from proof.stack import POSTGRES_ADMIN_URL, refuse_a_dotenv_file, running_services

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
TIME_LIMIT_SECONDS = 300


def missing_services() -> list[str]:
    missing = []
    if not postgres_reachable(POSTGRES_ADMIN_URL):
        missing.append(f"PostgreSQL at {POSTGRES_ADMIN_URL} (TEST_POSTGRES_URL)")
    for program in ("redis-server", "openssl"):
        if not shutil.which(program):
            missing.append(program)
    return missing


def stop_on_signals() -> None:
    """Ctrl-C (SIGINT, even where a shell started the proof with it ignored) and SIGTERM end
    the proof through its clean-up."""

    def handler(signum, frame):
        raise KeyboardInterrupt(signal.Signals(signum).name)

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)


def walk(deployment: Deployment, passed: list[str]) -> None:
    """The journeys in order (each builds on the ones before); `passed` collects their titles."""
    people = journeys.People()
    for number, (title, journey) in enumerate(journeys.JOURNEYS, start=1):
        started = time.monotonic()
        note = journey(deployment, people)
        print(f"journey {number}: {title} – ok in {elapsed(started)} ({note})", flush=True)
        passed.append(title)


def prove(started: float, passed: list[str]) -> None:
    """Bring the deployment up, walk the journeys, and take everything down again."""
    folder = Path(tempfile.mkdtemp(prefix="portal-proof-"))
    deployment = None
    try:
        with running_services(folder, shutil.which("redis-server")) as services:
            deployment = Deployment(folder, services)
            try:
                deployment.start()
                print(
                    f"stack up in {elapsed(started)}: migrate, then gunicorn (3 workers) behind "
                    f"{deployment.base_url}, worker and beat; PostgreSQL, Redis, SMTP",
                    flush=True,
                )
                walk(deployment, passed)
            finally:
                deployment.stop()
    except BaseException:
        if deployment is not None:
            print(deployment.log_tails())
        raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main_matrix() -> int:
    """`python -m proof --matrix [NAME]`: the outbox's fault matrix alone (proof/matrix.py)."""
    missing = [p for p in ("redis-server", "runuser") if not shutil.which(p)]
    if not (matrix.POSTGRES_BIN / "initdb").exists():
        missing.append(f"initdb in {matrix.POSTGRES_BIN} (POSTGRES_BIN)")
    if missing:
        print(f"matrix {'FAILED' if IN_CI else 'skipped'}: missing {', '.join(missing)}")
        return 1 if IN_CI else 0
    stop_on_signals()
    refuse_a_dotenv_file()
    only = sys.argv[2] if len(sys.argv) > 2 else None
    failed = matrix.run_matrix(only=only)
    if only is None and not email_bench_ran():
        failed += 1
    return 1 if failed else 0


# The matrix's speed beside it: `make bench`'s email part, three rounds (about 40 s).
EMAIL_BENCH = [sys.executable, "-m", "bench", "email"]


def email_bench_ran() -> bool:
    """Run the email bench and print its drain line beside the table; False only if the bench
    itself failed. A ratio below its target is printed as such, not failed: a figure measured
    on a shared machine is a benchmark's to show, not a test's to assert."""
    bench = subprocess.run(
        EMAIL_BENCH,
        cwd=ROOT,
        env={**os.environ, "BENCH_EMAIL_ROUNDS": "3"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    drain = [line for line in bench.stdout.splitlines() if line.startswith("drain:")]
    if bench.returncode != 0 or not drain:
        output = bench.stdout[-2000:] + bench.stderr[-2000:]
        print(f"email bench FAILED (exit {bench.returncode}):\n{output}")
        return False
    print(f"email bench beside the matrix, {drain[0]}", flush=True)
    return True


def main() -> int:
    if sys.argv[1:2] == ["--matrix"]:
        return main_matrix()
    started = time.monotonic()
    journeys_count = len(journeys.JOURNEYS)
    missing = missing_services()
    if missing:
        if IN_CI:
            print(f"proof FAILED: required under CI=true but missing: {', '.join(missing)}")
            print(f"proof: 0 passed, {journeys_count} failed")
            return 1
        print(f"proof skipped: missing {', '.join(missing)} (required under CI=true)")
        print(f"proof: 0 passed, 0 failed, {journeys_count} skipped")
        return 0
    stop_on_signals()
    passed: list[str] = []
    try:
        refuse_a_dotenv_file()
        prove(started, passed)
    except (Exception, KeyboardInterrupt) as error:
        traceback.print_exc()
        print(f"proof FAILED after {elapsed(started)}: {error}")
        print(f"proof: {len(passed)} passed, 1 failed")
        return 1
    took = time.monotonic() - started
    if took > TIME_LIMIT_SECONDS:
        print(f"proof FAILED: it took {took:.0f} s, more than {TIME_LIMIT_SECONDS} s")
        print(f"proof: {len(passed)} passed, 1 failed")
        return 1
    print(f"proof passed in {took:.0f} s; everything it started is stopped and removed")
    print(f"proof: {len(passed)} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
