"""The portal on its production parts, started the way docker-compose.yml starts them, without
Docker: the same four commands (migrate, web, worker, beat) from the file, each with a clean
environment holding only the variables the file gives the portal, pointed at this run's own
services: a fresh PostgreSQL database, a private Redis and an aiosmtpd SMTP server standing in
for Mailpit.

A process gets nothing else from the environment it was started from: only PATH (the
virtualenv's bin first, as the image's Python is first on its PATH), HOME and LANG.
"""

import contextlib
import os
import secrets
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from proof.compose import ComposeError, ComposeFile, run_environment
from proof.mailserver import SMTPServer, running_smtp_server
from proof.processes import (
    ROOT,
    Process,
    RedisServer,
    create_postgres_database,
    drop_postgres_database,
    free_port,
)

POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@dataclass
class Services:
    """What the compose file's postgres, redis and mailpit are for this run."""

    database_url: str
    redis: RedisServer
    smtp: SMTPServer


@contextlib.contextmanager
def running_services(
    folder: Path, redis_binary: str, prefix: str = "portal_proof"
) -> Iterator[Services]:
    """A fresh database, a private Redis and an SMTP server; all gone afterwards, whatever
    happened (the database is dropped even with connections left open)."""
    with contextlib.ExitStack() as cleanup:
        database_url = create_postgres_database(POSTGRES_ADMIN_URL, prefix)
        cleanup.callback(drop_postgres_database, POSTGRES_ADMIN_URL, database_url)
        redis_server = RedisServer(redis_binary, free_port(), folder / "redis")
        cleanup.callback(redis_server.stop)
        redis_server.start()
        smtp = cleanup.enter_context(running_smtp_server())
        yield Services(database_url, redis_server, smtp)


def new_secret_key() -> str:
    """48 random characters, as the README tells an operator to make one."""
    return secrets.token_urlsafe(36)


def run_values(
    compose: ComposeFile,
    services: Services,
    *,
    instance: Path,
    base_url: str,
    proxy_hops: int,
    secret_key: str,
    timing: dict[str, str] | None = None,
) -> dict[str, str]:
    """This run's value for each variable of the compose file that names a service, a secret,
    an address or a folder; the rest (MAIL_BACKEND, MAIL_FROM …) stay as the file gives them."""
    environment = compose.portal_environment()

    def redis_database(name: str) -> str:
        database = urlsplit(environment[name]).path.strip("/") or "0"
        return services.redis.url_of(int(database))

    return {
        "SECRET_KEY": secret_key,
        "DATABASE_URL": services.database_url,
        "CELERY_BROKER_URL": redis_database("CELERY_BROKER_URL"),
        "RATELIMIT_STORAGE_URI": redis_database("RATELIMIT_STORAGE_URI"),
        "MAIL_SERVER": services.smtp.host,
        "MAIL_PORT": str(services.smtp.port),
        "PORTAL_BASE_URL": base_url,
        "PROXY_FIX_HOPS": str(proxy_hops),
        "PORTAL_INSTANCE_DIR": str(instance),
        **(timing or {}),
    }


def refuse_a_dotenv_file() -> None:
    """config.py reads a `.env` in the project folder into every process; the image is built
    without one (.dockerignore), so a proof with one would not be the deployment."""
    if (ROOT / ".env").exists():
        raise ComposeError(
            f"{ROOT / '.env'} exists: every process here would read it, and the image has none "
            "(.dockerignore). Move it aside to run this."
        )


class Portal:
    """The portal's commands from docker-compose.yml on this run's services.

    The commands are the file's, with two things changed: paths under the container's
    instance folder (PORTAL_INSTANCE_DIR, where the volumes are mounted) point into this run's
    folder, and gunicorn binds to loopback on a free port instead of 0.0.0.0:8000.
    """

    def __init__(self, folder: Path, compose: ComposeFile, values: dict[str, str]):
        self.folder, self.compose = folder, compose
        self.variables = run_environment(compose, values)
        self.container_instance = compose.portal_environment()["PORTAL_INSTANCE_DIR"]
        self.instance = Path(self.variables["PORTAL_INSTANCE_DIR"])
        self.web_port = free_port()
        self.home = folder / "home"
        self.processes: list[Process] = []
        self.home.mkdir(parents=True, exist_ok=True)
        for path in self._volume_paths():
            path.mkdir(parents=True, exist_ok=True)

    def _volume_paths(self) -> list[Path]:
        """The folders the compose file mounts volumes on, inside this run's instance folder."""
        paths = [self.instance]
        for service in ("web", "worker", "beat"):
            for volume in self.compose.services[service].get("volumes", []):
                target = volume.split(":")[1] if isinstance(volume, str) else volume["target"]
                paths.append(Path(self.local_path(target)))
        return paths

    def local_path(self, path: str) -> str:
        prefix = self.container_instance.rstrip("/")
        if path == prefix or path.startswith(prefix + "/"):
            return str(self.instance) + path[len(prefix) :]
        return path

    def environment(self, **changes: str | None) -> dict[str, str]:
        """A process's whole environment; `SECRET_KEY=None` leaves a variable out."""
        variables = {**self.variables, **changes}
        return {
            **{name: value for name, value in variables.items() if value is not None},
            "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
            "HOME": str(self.home),
            "LANG": "C.UTF-8",
        }

    def command(self, service: str, web_port: int | None = None) -> list[str]:
        command = [self.local_path(argument) for argument in self.compose.command(service)]
        for flag in ("--bind", "-b"):
            if flag in command:
                command[command.index(flag) + 1] = f"127.0.0.1:{web_port or self.web_port}"
        return command

    def process(
        self, name: str, command: list[str], environment: dict[str, str] | None = None
    ) -> Process:
        """A process of this run (not started yet); `stop_all` stops it."""
        log = self.folder / "logs" / f"{name}.log"
        process = Process(name, command, environment or self.environment(), log)
        self.processes.append(process)
        return process

    def start(
        self,
        service: str,
        name: str | None = None,
        web_port: int | None = None,
        **changes: str | None,
    ) -> Process:
        """The compose service's command, started; `changes` to its environment."""
        command = self.command(service, web_port)
        return self.process(name or service, command, self.environment(**changes)).start()

    def run(self, name: str, command: list[str], timeout: float = 120) -> Process:
        """A one-off command with the portal's environment, as `docker compose run --rm web`
        runs one; waits for it to exit."""
        process = self.process(name, command).start()
        process.wait(timeout)
        return process

    def stop_all(self) -> None:
        """Stop every process of this run, the last started first."""
        for process in reversed(self.processes):
            process.stop()
