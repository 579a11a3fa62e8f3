"""Celery workers for the integration tests, each with its embedded beat.

Each runs in its own process group so a test can kill it with `kill -9` the way a crash or the
OOM killer would, children and embedded beat included. The private Redis, `wait_until` and the
process groups are the proof's machinery (proof/processes.py).
"""

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

from proof.processes import ROOT, wait_until


class CeleryWorker:
    """`celery -A portal.worker worker -B`: a real worker with its embedded beat."""

    def __init__(self, name: str, folder: Path, env: dict[str, str]):
        self.name, self.folder, self.env = name, folder, env
        self.log_path = folder / f"{name}.log"
        self.log_start = 0  # where this test's part of the log begins
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

    def start_test(self) -> None:
        """Handed to another test: its log begins now, so the test reads only its own lines."""
        self.log_start = self.log_path.stat().st_size

    def log(self) -> str:
        with open(self.log_path, "rb") as log:
            log.seek(self.log_start)
            return log.read().decode(errors="replace")

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
