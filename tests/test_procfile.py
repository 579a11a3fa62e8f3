"""`make run` starts the Procfile's processes; each keeps its state under PORTAL_INSTANCE_DIR."""

import os
import subprocess
import sys
import time
from pathlib import Path

from proof.processes import wait_until

ROOT = Path(__file__).resolve().parent.parent


def procfile_command(name: str) -> str:
    for line in (ROOT / "Procfile").read_text().splitlines():
        process, _, command = line.partition(":")
        if process.strip() == name:
            return command.strip()
    raise AssertionError(f"no {name} in the Procfile")


def test_beat_from_the_procfile_keeps_its_schedule_in_the_instance_folder(tmp_path):
    instance = tmp_path / "elsewhere"
    environment = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "PORTAL_ENV": "development",
        "PORTAL_INSTANCE_DIR": str(instance),
        "DATABASE_URL": "",
        "CELERY_BROKER_URL": "",
    }
    beat = subprocess.Popen(
        procfile_command("beat"),
        shell=True,
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        wait_until(
            lambda: beat.poll() is not None or list(instance.glob("celerybeat-schedule*")),
            timeout=60,
            message="beat to write its schedule",
        )
        time.sleep(1)
        assert beat.poll() is None, beat.stderr.read().decode()
        assert list(instance.glob("celerybeat-schedule*"))
    finally:
        os.killpg(beat.pid, 9)
        beat.wait()
