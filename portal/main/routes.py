"""Start page (the dashboard), `/healthz` (the process) and `/readyz` (database and broker,
and whether a worker takes tasks)."""

from datetime import date

from flask import current_app, jsonify, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import text

from portal.core.dates import utcnow
from portal.core.i18n import translated
from portal.core.read_cache import cached_fragment
from portal.core.worker_health import worker_is_consuming
from portal.extensions import csrf, db, limiter
from portal.main import bp
from portal.main.dashboard import start_page
from portal.projects.models import DEADLINE_KINDS, PROJECT_HEALTH, PROJECT_STATUSES


@bp.route("/")
@login_required
def index():
    """The dashboard: my projects, deadlines ahead, news, my projects' documents, latest
    updates, the plan's goal areas."""
    today = date.today()
    body = cached_fragment(
        "main/_dashboard_body.html",
        current_user.id,
        current_user.organisation_id,
        today,
        context=lambda: _dashboard_context(today),
    )
    return render_template("main/index.html", body=body)


def _dashboard_context(today: date) -> dict:
    page = start_page(current_user, today, utcnow())
    return {
        "dashboard": page.projects,
        "news": page.news,
        "documents": page.documents,
        "statuses": translated(PROJECT_STATUSES),
        "health_labels": translated(PROJECT_HEALTH),
        "deadline_kinds": translated(DEADLINE_KINDS),
    }


@bp.route("/favicon.ico")
@limiter.exempt
def favicon():
    """Browsers ask for /favicon.ico on every page whatever the page links; the icon is the
    SVG in portal/static, which needs no login."""
    return redirect(url_for("static", filename="img/favicon.svg"), code=301)


@bp.route("/healthz")
@csrf.exempt
@limiter.exempt
def healthz():
    return jsonify(status="ok")


@bp.route("/readyz")
@limiter.exempt
def readyz():
    """200 when this web process can serve: its database and broker answer. `worker` says
    whether a worker ran beat's heartbeat task lately; it is reported, not required, because
    a stalled worker delays email but must not take the site out of the load balancer (the
    worker's own healthcheck, `flask portal worker-health`, acts on it)."""
    checks = {"database": database_ready(), "broker": broker_ready()}
    ready = all(checks.values())
    body = {"status": "ok" if ready else "unavailable", **{k: bool(v) for k, v in checks.items()}}
    body["worker"] = checks["database"] and worker_ready()
    return jsonify(body), 200 if ready else 503


def worker_ready() -> bool:
    try:
        return worker_is_consuming(current_app.config["WORKER_HEARTBEAT_MAX_AGE_SECONDS"])
    except Exception:
        current_app.logger.warning("worker heartbeat unreadable", exc_info=True)
        db.session.rollback()
        return False


def database_ready() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:
        current_app.logger.exception("database not ready")
        return False


def broker_ready() -> bool:
    """One attempt within the broker timeout: a kombu retry first sleeps 2 s, too long here."""
    celery_app = current_app.extensions["celery"]
    timeout = current_app.config["BROKER_TIMEOUT_SECONDS"]
    try:
        with celery_app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=0, timeout=timeout)
        return True
    except Exception:
        current_app.logger.warning("broker not ready", exc_info=True)
        return False
