"""The portal served for real on loopback, and Debian's Chromium driven by Playwright.

Browser tests do not use the `app` fixture: they need a server in another thread and a file
database it can share, and they run once, on SQLite.
"""

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from portal import create_app
from portal.demo import load_demo
from portal.extensions import db, limiter
from proof.processes import free_port
from tests.services import require_service

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class LiveServer:
    url: str
    app: Flask
    outbox: Path


@contextmanager
def serve_portal(folder: Path, **config) -> Iterator[LiveServer]:
    """The portal with the demo data on a free port, emails written at once as .eml files
    (or, with `config`, sent however it says)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    outbox = folder / "outbox"
    app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'portal.db'}",
            "INSTANCE_DIR": str(folder),
            "WTF_CSRF_ENABLED": True,
            "MAIL_BACKEND": "file",
            "MAIL_OUTBOX_DIR": str(outbox),
            "CELERY_TASK_ALWAYS_EAGER": True,
            "PORTAL_BASE_URL": url,
            **config,
        },
    )
    with app.app_context():
        db.create_all()
        load_demo()
        db.session.remove()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="portal-live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(url=url, app=app, outbox=outbox)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()
            limiter.reset()


@pytest.fixture
def live_server(tmp_path) -> Iterator[LiveServer]:
    with serve_portal(tmp_path) as server:
        yield server


@contextmanager
def launch_chromium():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium, headless, started once per module (each test opens a context of its
    own); skipped on a laptop without it, a failure under CI=true."""
    require_service(os.access(CHROMIUM, os.X_OK), "Chromium")
    with launch_chromium() as browser:
        yield browser
