"""The migration builds the search index on each backend and takes it away again."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from portal.core.dates import utcnow
from portal.extensions import db
from portal.search.index import FTS_TABLE, VECTOR_COLUMN
from tests.test_migrations import empty_database_url, migration_app  # noqa: F401 (fixtures)

INDEXED_TABLES = ("projects", "news_items", "news_comments", "documents")


def search_index_present() -> dict[str, bool]:
    inspector = inspect(db.engine)
    if db.engine.dialect.name == "sqlite":
        return {FTS_TABLE: FTS_TABLE in inspector.get_table_names()}
    return {
        table: any(c["name"] == VECTOR_COLUMN for c in inspector.get_columns(table))
        and any(i["name"] == f"ix_{table}_search" for i in inspector.get_indexes(table))
        for table in INDEXED_TABLES
    }


def test_upgrade_builds_the_search_index_and_downgrade_removes_it(migration_app):  # noqa: F811
    upgrade()
    assert all(search_index_present().values())
    downgrade(revision="0011-1")  # to just before the search index
    assert not any(search_index_present().values())


def test_upgrade_gives_existing_documents_the_text_of_their_current_version(
    migration_app,  # noqa: F811
):
    upgrade(revision="0011")
    db.session.execute(
        text(
            "INSERT INTO documents (id, title, description, visibility, "
            "case_number, retention, created_at, updated_at) VALUES "
            "(1, 'Protokoll', '', 'everyone', '', 'keep', :now, :now)"
        ),
        {"now": utcnow()},
    )
    version = (
        "INSERT INTO document_versions (document_id, number, is_current, filename, mime_type, "
        "size_bytes, sha256, storage_key, uploaded_at, extracted_text) VALUES "
        "(1, :number, :current, 'p.pdf', 'application/pdf', 1, '', :key, :now, :text)"
    )
    db.session.execute(
        text(version),
        [
            {"number": 1, "current": False, "key": "a", "now": utcnow(), "text": "Timrå"},
            {"number": 2, "current": True, "key": "b", "now": utcnow(), "text": "Sundsvall"},
        ],
    )
    db.session.commit()
    upgrade()
    assert db.session.scalar(text("SELECT current_text FROM documents")) == "Sundsvall"
