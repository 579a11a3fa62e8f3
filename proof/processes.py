"""Real processes started by hand: commands in their own process groups, a private Redis and a
throwaway PostgreSQL database. Used by the proof (`make proof`) and by the tests that start the
portal's own processes (tests/integration/, tests/test_production_start.py).

Each process runs in its own process group, so it can be stopped, frozen or killed with
`kill -9` the way a crash or the OOM killer would, children (gunicorn's and Celery's workers)
included.
"""

import contextlib
import os
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent


def wait_until(condition, timeout: float = 30.0, interval: float = 0.05, message: str = ""):
    """Poll `condition` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:.0f} s in vain for {message or condition}")
        time.sleep(interval)


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def end_group(process: subprocess.Popen, grace: float) -> None:
    """SIGTERM the process group, then SIGKILL whatever is left of it after `grace` seconds."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # children may outlive the leader
    process.wait()


class Process:
    """One command in its own process group, its output (stdout and stderr) in a log file."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], log_path: Path):
        self.name, self.command, self.env, self.log_path = name, command, env, log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> "Process":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def returncode(self) -> int | None:
        return self.process.poll() if self.process is not None else None

    def wait(self, timeout: float) -> int:
        """Wait for it to exit by itself; returns its exit code."""
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired as error:
            raise AssertionError(
                f"{self.name} still runs after {timeout:.0f} s:\n{self.log_tail()}"
            ) from error

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log().splitlines()[-lines:])

    def wait_for_log(self, text: str, timeout: float = 60) -> None:
        """Until `text` is in its log; fail at once if it exits first."""

        def logged() -> bool:
            if text in self.log():
                return True
            if not self.running:
                raise AssertionError(
                    f"{self.name} exited with {self.returncode}:\n{self.log_tail()}"
                )
            return False

        wait_until(logged, timeout=timeout, interval=0.1, message=f"{self.name}: {text!r}")

    def kill(self) -> None:
        """`kill -9` the whole group at once, as a crash would."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self, grace: float = 10) -> None:
        """SIGTERM (a warm shutdown), then SIGKILL after `grace` seconds."""
        if self.process is not None:
            end_group(self.process, grace)


class RedisServer:
    """Our own redis-server on a free port, never the system one on 6379."""

    def __init__(self, binary: str, port: int, folder: Path):
        self.binary, self.port, self.folder = binary, port, folder
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return self.url_of(0)

    def url_of(self, database: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        client = redis.Redis(port=self.port, socket_timeout=1, socket_connect_timeout=1)
        wait_until(lambda: self._answers(client), timeout=10, message="redis-server to answer")

    def _answers(self, client) -> bool:
        assert self.process.poll() is None, "redis-server exited"
        try:
            return client.ping()
        except redis.RedisError:
            return False

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """Stop it; everything it held is gone (no RDB, no AOF), as after a crash."""
        if self.process is not None:
            end_group(self.process, grace=5)

    def freeze(self) -> None:
        """Like a hung server: connections are accepted by the kernel, nothing answers."""
        os.killpg(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        os.killpg(self.process.pid, signal.SIGCONT)


def libpq_url(url: str) -> str:
    """The SQLAlchemy URL (`postgresql+psycopg://`) as libpq and psycopg take it."""
    return url.replace("postgresql+psycopg://", "postgresql://")


def postgres_reachable(admin_url: str) -> bool:
    try:
        with psycopg.connect(libpq_url(admin_url), connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def create_postgres_database(admin_url: str, prefix: str = "portal_test") -> str:
    """A fresh, empty database on the server of `admin_url`; returns its SQLAlchemy URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(libpq_url(admin_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    return f"{base}/{name}"


def drop_postgres_database(admin_url: str, url: str) -> None:
    """Drop it, whoever is still connected (WITH FORCE)."""
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(libpq_url(admin_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
