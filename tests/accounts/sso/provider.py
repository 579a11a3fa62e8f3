"""The tests' real OpenID provider: tests/oidc/provider.mjs (the npm package oidc-provider) on
an ephemeral loopback port, and a person's way through it as a browser would go."""

import itertools
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

OIDC_DIR = Path(__file__).resolve().parents[2] / "oidc"
# The portal's callback as TestConfig's PORTAL_BASE_URL makes it, registered at the provider.
PORTAL = "http://portal.test"
REDIRECT_URI = f"{PORTAL}/logga-in/kommunkonto/callback"
CLIENT_ID, CLIENT_SECRET = "portal", "portal-secret"
START_SECONDS = 20

_accounts = itertools.count(1)


@dataclass
class Provider:
    issuer: str

    def add_account(
        self,
        email: str,
        amr=("pwd",),
        email_verified: bool | None = True,
        xms_edov: bool | None = None,
        subject: str | None = None,
        name: str | None = None,
    ) -> str:
        """A person who can log in at the provider (or new claims of `subject`); returns their
        `sub`."""
        subject = subject or f"person-{next(_accounts)}"
        account = {
            "email": email,
            "email_verified": email_verified,
            "xms_edov": xms_edov,
            "amr": list(amr),
            "name": name,
        }
        requests.post(f"{self.issuer}/_test/accounts", json={subject: account}, timeout=5)
        return subject

    def set_mode(self, mode: str) -> None:
        """ "normal", or how the token endpoint breaks its ID tokens (see provider.mjs)."""
        requests.post(f"{self.issuer}/_test/mode", json={"mode": mode}, timeout=5)


def start_provider(log):
    """Start the provider, its messages to the open file `log`; returns (process, Provider)
    once its discovery document answers.
    Fails (never skips) when node or the npm packages are missing: both are set up by
    `make test` (npm ci in tests/oidc)."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("The SSO tests need Node.js (v20+) for their OpenID provider: install node.")
    if not (OIDC_DIR / "node_modules" / "oidc-provider").is_dir():
        pytest.fail(f"Run `npm ci --prefix {OIDC_DIR}` first (`make test` does it).")
    process = subprocess.Popen(
        [node, "provider.mjs", REDIRECT_URI],
        cwd=OIDC_DIR,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    watchdog = threading.Timer(START_SECONDS, process.kill)
    watchdog.start()
    line = process.stdout.readline() if process.stdout else ""
    watchdog.cancel()
    if not line.startswith("issuer "):
        process.kill()
        log.flush()
        pytest.fail(f"The OpenID provider did not start: {line!r}; see {log.name}")
    provider = Provider(line.split()[1])
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=2)
            return process, provider
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                process.kill()
                pytest.fail("The OpenID provider's discovery document never answered.")
            time.sleep(0.1)


def through_provider(location: str, subject: str) -> str:
    """Follow the portal's redirect as a browser would: to the provider's authorization
    endpoint, its login form (as `subject`), and back. Returns the portal path and query the
    provider sent the person back to."""
    browser = requests.Session()
    url = location
    for _ in range(10):
        if url.startswith(REDIRECT_URI):
            return url[len(PORTAL) :]
        response = browser.get(url, allow_redirects=False, timeout=5)
        if response.status_code == 200:  # the provider's login form
            response = browser.post(url, data={"login": subject}, allow_redirects=False, timeout=5)
        assert response.status_code in (302, 303), response.text
        url = urljoin(url, response.headers["Location"])
    raise AssertionError(f"never sent back to the portal: {url}")
