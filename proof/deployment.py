"""One deployment of the proof: the compose file's four commands on this run's services, HTTPS
in front of gunicorn (a TLS-terminating proxy, `PROXY_FIX_HOPS=1`), the SMTP server's mail and
the people who use the portal.
"""

import re
import sys
import time
from email.message import EmailMessage
from pathlib import Path

import requests

from proof import tls
from proof.browser import Person
from proof.compose import ComposeFile
from proof.mailserver import Envelope
from proof.processes import Process, free_port, wait_until
from proof.stack import Portal, Services, new_secret_key, run_values

# Emails a killed worker was sending go out again once its claim is this old, at beat's next
# sweep: the production values (300 s, 60 s) would make journey 5 wait five minutes.
TIMING = {"OUTBOX_CLAIM_TIMEOUT_SECONDS": "30", "OUTBOX_SWEEP_SECONDS": "5"}


class Deployment:
    def __init__(self, folder: Path, services: Services):
        self.folder, self.services = folder, services
        self.https_port = free_port()
        self.base_url = f"https://127.0.0.1:{self.https_port}"
        compose = ComposeFile.load()
        values = run_values(
            compose,
            services,
            instance=folder / "instance",
            base_url=self.base_url,
            proxy_hops=1,
            secret_key=new_secret_key(),
            timing=TIMING,
        )
        self.portal = Portal(folder, compose, values)
        self.certificate, self.key = tls.make_certificate(folder / "tls")
        self.worker: Process | None = None
        self.kills = 0

    @property
    def smtp(self):
        return self.services.smtp

    def start(self) -> None:
        """migrate first; web, worker, beat and the proxy once it has finished, as compose's
        `service_completed_successfully` orders them; returns when all of them answer."""
        migrate = self.portal.run("migrate", self.portal.command("migrate"))
        if migrate.returncode != 0:
            raise AssertionError(f"migrate exited with {migrate.returncode}:\n{migrate.log_tail()}")
        web = self.portal.start("web")
        self.worker = self.portal.start("worker")
        beat = self.portal.start("beat")
        proxy = self.portal.process(
            "https-proxy",
            [sys.executable, *tls.command(self.https_port, self.portal.web_port, *self.tls_files)],
        ).start()
        proxy.wait_for_log(tls.READY, timeout=30)
        self.worker.wait_for_log(" ready.", timeout=90)
        beat.wait_for_log("beat: Starting...", timeout=90)
        wait_until(lambda: self._healthy(web), timeout=90, interval=0.2, message="/healthz")

    @property
    def tls_files(self) -> tuple[Path, Path]:
        return self.certificate, self.key

    def _healthy(self, web: Process) -> bool:
        if not web.running:
            raise AssertionError(f"gunicorn exited:\n{web.log_tail()}")
        try:
            return self.person("health check").status_of("/healthz") == 200
        except requests.RequestException:
            return False

    def person(self, name: str) -> Person:
        return Person(self.base_url, str(self.certificate), name)

    def run_command(self, name: str, arguments: list[str]) -> Process:
        """`docker compose run --rm web <arguments>`: the web service's environment."""
        return self.portal.run(name, arguments)

    def kill_worker(self) -> None:
        """`kill -9` the worker and its pool, then start it again as an operator would: the
        same command, nothing else done."""
        self.worker.kill()
        self.kills += 1
        self.worker = self.portal.start("worker", name=f"worker-after-kill-{self.kills}")
        self.worker.wait_for_log(" ready.", timeout=90)

    def emails_to(self, address: str, subject: str = "") -> list[Envelope]:
        return [
            envelope
            for envelope in self.smtp.delivered
            if address in envelope.rcpt_tos and subject in (envelope.message["Subject"] or "")
        ]

    def wait_for_email(self, address: str, subject: str = "", timeout: float = 60) -> Envelope:
        found = wait_until(
            lambda: self.emails_to(address, subject),
            timeout=timeout,
            interval=0.1,
            message=f"an email to {address} ({subject or 'any subject'})",
        )
        return found[0]

    def stop(self) -> None:
        self.portal.stop_all()

    def log_tails(self) -> str:
        return "\n".join(
            f"--- {process.name} (exit {process.returncode}):\n{process.log_tail(25)}"
            for process in self.portal.processes
        )


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def link_in(message: EmailMessage, pattern: str) -> str:
    found = re.search(pattern, text_of(message))
    if not found:
        raise AssertionError(f"no link like {pattern} in:\n{text_of(message)}")
    return found.group(0)


def elapsed(since: float) -> str:
    return f"{time.monotonic() - since:.1f} s"
