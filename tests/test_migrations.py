"""Migrations: upgrade to head and back to base on fresh SQLite and PostgreSQL databases, and
the models agree with the migrations (autogenerate would write nothing).

These tests build their schema with Alembic, never with create_all, so they do not use the
`app` fixture.
"""

import logging

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select, text

from portal import create_app
from portal.accounts import feeds
from portal.accounts.tokens import hash_token
from portal.extensions import db
from portal.reports.builtins import builtin_templates
from portal.reports.models import ReportTemplate
from portal.search.index import include_name
from tests.services import (
    create_postgres_database,
    drop_postgres_database,
    postgres_reachable,
    require_service,
)

# Migrations run DDL on connections of their own: real commits.
pytestmark = pytest.mark.commits


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request, tmp_path):
    """A fresh, empty database: a new SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    require_service(postgres_reachable(), "PostgreSQL")
    url = create_postgres_database()
    yield url
    drop_postgres_database(url)


@pytest.fixture
def migration_app(empty_database_url, tmp_path):
    app = create_app(
        "testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url, "INSTANCE_DIR": str(tmp_path)}
    )
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def table_names() -> set[str]:
    """The tables, less the search index, which is no model (see portal/search/index.py)."""
    return {
        name for name in inspect(db.engine).get_table_names() if include_name(name, "table", {})
    }


def model_tables() -> set[str]:
    return set(db.metadata.tables)


def test_upgrade_to_head_creates_every_model_table(migration_app):
    upgrade()
    assert table_names() == model_tables() | {"alembic_version"}


def test_downgrade_to_base_removes_every_table(migration_app):
    upgrade()
    downgrade(revision="base")
    assert table_names() == {"alembic_version"}


def test_upgrade_works_again_after_downgrade_to_base(migration_app):
    upgrade()
    downgrade(revision="base")
    upgrade()
    assert table_names() == model_tables() | {"alembic_version"}


def test_models_and_migrations_have_no_differences(migration_app):
    upgrade()
    options = {
        key: value
        for key, value in migration_app.extensions["migrate"].configure_args.items()
        if key in ("compare_type", "compare_server_default", "render_as_batch", "include_name")
    }
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=options)
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_running_migrations_does_not_silence_the_portals_logs(migration_app, caplog):
    upgrade()
    with caplog.at_level(logging.INFO):
        logging.getLogger("portal.accounts.services").info("Invitation for nils created by astrid")
    assert "Invitation for nils created by astrid" in caplog.text


def test_a_news_feed_address_keeps_working_across_the_move_to_feed_tokens(migration_app):
    """0010 moves news_feed_tokens into feed_tokens (kind "news"): nobody's address breaks."""
    upgrade(revision="0007")
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (email, name, password_hash, role, language, active, "
                "session_version, created_at) VALUES ('karin@kramfors.example', 'Karin Holm', "
                "'x', 'member', 'sv', :yes, 1, '2026-12-01 08:00:00')"
            ),
            {"yes": True},
        )
        connection.execute(
            text(
                "INSERT INTO news_feed_tokens (user_id, token_hash, created_at) "
                "SELECT id, :hash, '2026-12-01 08:00:00' FROM users"
            ),
            {"hash": hash_token("hemlig")},
        )
    upgrade()
    reader = feeds.feed_reader("hemlig", "news")
    assert reader is not None and reader.email == "karin@kramfors.example"
    assert feeds.feed_reader("hemlig", "calendar") is None


def test_a_migrated_database_has_the_builtin_report_templates_the_code_defines(migration_app):
    upgrade()
    templates = db.session.scalars(select(ReportTemplate).order_by(ReportTemplate.id)).all()
    assert [
        (template.name, template.description, template.sections, template.is_builtin)
        for template in templates
    ] == [(row["name"], row["description"], row["sections"], True) for row in builtin_templates()]
    assert [template.funder_id for template in templates] == [None, None]


def test_kulturradets_template_gets_kulturradet_as_funder_when_it_exists(migration_app):
    upgrade(revision="0017")
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO organisations (name, kind, created_at) "
                "VALUES ('Kulturrådet', 'funder', '2026-12-01 08:00:00')"
            )
        )
    upgrade()
    template = db.session.scalar(select(ReportTemplate).where(ReportTemplate.name == "Kulturrådet"))
    assert template.funder.name == "Kulturrådet"
