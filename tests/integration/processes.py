"""Real processes for the integration tests: a private Redis and Celery workers.

Each runs in its own process group so a test can stop it, freeze it or kill it with `kill -9`
the way a crash or the OOM killer would, children and embedded beat included.
"""

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parents[2]


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


def _end_group(process: subprocess.Popen, grace: float) -> None:
    """SIGTERM the process group, then SIGKILL whatever is left of it after `grace` seconds."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # children may outlive the leader
    process.wait()


class RedisServer:
    """Our own redis-server on a free port, never the system one on 6379."""

    def __init__(self, binary: str, port: int, folder: Path):
        self.binary, self.port, self.folder = binary, port, folder
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

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

    def stop(self) -> None:
        """Stop it; everything it held is gone (no RDB, no AOF), as after a crash."""
        _end_group(self.process, grace=5)

    def freeze(self) -> None:
        """Like a hung server: connections are accepted by the kernel, nothing answers."""
        os.killpg(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        os.killpg(self.process.pid, signal.SIGCONT)


class CeleryWorker:
    """`celery -A portal.worker worker -B`: a real worker with its embedded beat."""

    def __init__(self, name: str, folder: Path, env: dict[str, str]):
        self.name, self.folder, self.env = name, folder, env
        self.log_path = folder / f"{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable, "-m", "celery", "-A", "portal.worker", "worker", "-B",
            "--loglevel=INFO", "--concurrency=2", "--pool=prefork",
            "--without-mingle", "--without-gossip",
            "--hostname", f"{self.name}@%h",
            "--schedule", str(self.folder / f"{self.name}-beat-schedule"),
        ]  # fmt: skip
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env={**os.environ, **self.env},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until(self._ready, timeout=30, message=f"{self.name} to be ready")

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"{self.name} exited:\n{self.log_tail()}")
        return " ready." in self.log()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log().splitlines()[-lines:])

    def sweeps_done(self) -> int:
        """How many outbox sweeps this worker has finished (from its log)."""
        return len(re.findall(r"sweep_outbox\[[^\]]+\] succeeded", self.log()))

    def kill(self) -> None:
        """kill -9 the worker, its pool children and its beat, all at once."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        """End it after a test; nothing is left to finish, so no warm shutdown."""
        if self.process.poll() is None:
            self.kill()
