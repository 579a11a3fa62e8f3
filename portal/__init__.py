"""The portal: collaboration intranet of a county library and its municipal libraries."""

from pathlib import Path

from flask import Flask
from sqlalchemy.orm import configure_mappers
from werkzeug.middleware.proxy_fix import ProxyFix

from config import config_for
from portal.accessibility import bp as accessibility_bp
from portal.accounts import bp as accounts_bp
from portal.accounts.admin import bp as admin_bp
from portal.accounts.permissions import is_staff
from portal.api import bp as api_bp
from portal.calendar import bp as calendar_bp
from portal.celery_app import celery_init_app
from portal.cli import register_cli
from portal.core import after_commit, read_cache
from portal.core.database import tune_engine
from portal.core.dates import alembic_render_item
from portal.core.errors import register_error_pages
from portal.core.i18n import init_babel
from portal.core.ids import IdConverter
from portal.core.logs import configure_logging
from portal.core.read_cache import init_read_cache
from portal.core.request_checks import register_request_checks
from portal.core.security import register_security_headers
from portal.core.templating import register_template_filters
from portal.documents import bp as documents_bp
from portal.documents import models as document_models
from portal.documents import storage
from portal.documents import tasks as document_tasks
from portal.exports import bp as exports_bp
from portal.extensions import csrf, db, limiter, login_manager, migrate
from portal.main import bp as main_bp
from portal.news import bp as news_bp
from portal.notifications import bp as notifications_bp
from portal.notifications import outbox
from portal.notifications import tasks as notification_tasks
from portal.notifications.settings import bp as preferences_bp
from portal.privacy import bp as privacy_bp
from portal.projects import bp as projects_bp
from portal.projects import facet_counts
from portal.reports import bp as reports_bp
from portal.reports import keeping as report_keeping
from portal.reports import services as report_services
from portal.reports.delivery import recipients_of
from portal.reports.permissions import can_manage_reports
from portal.search import bp as search_bp
from portal.search import index as search_index
from portal.search.index import include_name
from portal.statistics import bp as statistics_bp

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"


def create_app(config_name: str | None = None, overrides: dict | None = None) -> Flask:
    """Build the application: config, extensions, blueprints, CLI, Celery, error pages."""
    config = config_for(config_name)
    config.check()
    app = Flask(__name__, template_folder=str(TEMPLATE_DIR))
    app.config.from_object(config)
    if overrides:
        app.config.update(overrides)
    Path(app.config["INSTANCE_DIR"]).mkdir(parents=True, exist_ok=True)
    tune_engine(app)
    if app.config["PROXY_FIX_HOPS"]:
        hops = app.config["PROXY_FIX_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    configure_logging(app)

    _init_extensions(app)
    app.url_map.converters["id"] = IdConverter
    register_request_checks(app)
    _register_blueprints(app)
    register_error_pages(app)
    register_template_filters(
        app,
        {
            "is_staff": is_staff,
            "can_manage_reports": can_manage_reports,
            "report_recipients": recipients_of,  # templates/reports/_send.html
        },
    )
    register_security_headers(app)

    celery_init_app(app)

    register_cli(app)
    return app


def prepare_to_serve(app: Flask) -> None:
    """Pay when a server process starts what its first requests would pay otherwise.

    The first task a process sends after a commit (a news item's fan-out, the outbox batches)
    imported the task modules, finalised the Celery app, looked up its result backend and
    imported kombu's Redis transport and the redis package: 150–400 ms on the first
    publication in each gunicorn worker. The
    SQLAlchemy mappers are configured on the first query otherwise. Nothing here connects to
    the broker or the database, so a server starts while either is down.
    """
    configure_mappers()
    celery = app.extensions["celery"]
    celery.loader.import_default_modules()
    celery.finalize(auto=True)
    celery.backend  # noqa: B018 (apply_async looks it up, through the packages' entry points)
    with celery.connection_for_write() as connection:
        connection.transport  # noqa: B018 (imports the transport module, does not connect)


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(TEMPLATE_DIR.parent / "migrations"),
        render_as_batch=True,
        compare_type=True,
        render_item=alembic_render_item,
        include_name=include_name,
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    init_babel(app)
    init_read_cache(app)
    _register_commit_hooks()


def _register_commit_hooks() -> None:
    """What happens when a transaction flushes, commits or rolls back, in this order; the
    registry and its listeners are portal/core/after_commit.py."""
    outbox.register_delivery_tasks(
        notification_tasks.deliver_email, notification_tasks.deliver_emails
    )
    read_cache.register_commit_hooks()
    outbox.register_commit_hooks()
    after_commit.register_commit_hooks()
    storage.register_commit_hooks()
    document_tasks.register_commit_hooks()
    document_models.register_flush_hooks()
    report_keeping.register_flush_hooks()
    report_services.register_flush_hooks()
    search_index.register_flush_hooks()
    facet_counts.register_flush_hooks()
    after_commit.install()


def _register_blueprints(app: Flask) -> None:
    app.register_blueprint(main_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(preferences_bp)
    app.register_blueprint(projects_bp)
    app.register_blueprint(news_bp)
    app.register_blueprint(calendar_bp)
    app.register_blueprint(documents_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(statistics_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(accessibility_bp)
