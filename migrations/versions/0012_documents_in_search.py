"""documents in search: the current version's text on the document, and its index

`documents.current_text` holds the current version's extracted text (its first 300 000
characters), so that a document is one row of the index: title (A), description (B), text (C).
PostgreSQL: a stored, generated `search_vector` over the three with a GIN index, as in 0011.
SQLite: the shared FTS5 table needs nothing new; fill it for existing documents with
`flask --app wsgi portal reindex-search`.

The column is added and dropped with plain ALTER TABLE on both backends: a batch rebuild of
`documents` on SQLite would drop the table, and with foreign keys on, its versions with it.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 10:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

SEARCHED_TEXT_CHARS = 300_000
FIELDS = (("title", "A"), ("description", "B"), ("current_text", "C"))
# The tag of documents in the SQLite index's rowids (portal/search/sources.py, code 4).
SQLITE_CODE = 4


def upgrade():
    op.add_column("documents", sa.Column("current_text", sa.Text(), nullable=True))
    op.execute(
        "UPDATE documents SET current_text = ("
        f"SELECT substr(extracted_text, 1, {SEARCHED_TEXT_CHARS}) FROM document_versions "
        "WHERE document_versions.document_id = documents.id AND document_versions.is_current)"
    )
    if op.get_bind().dialect.name == "postgresql":
        vector = " || ".join(
            f"setweight(to_tsvector('swedish'::regconfig, coalesce({name}, '')), '{weight}')"
            for name, weight in FIELDS
        )
        op.execute(
            "ALTER TABLE documents ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS ({vector}) STORED"
        )
        op.execute("CREATE INDEX ix_documents_search ON documents USING gin (search_vector)")
        op.execute("ALTER TABLE documents ALTER COLUMN search_vector SET STATISTICS 1000")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_documents_search")
        op.execute("ALTER TABLE documents DROP COLUMN IF EXISTS search_vector")
    elif op.get_bind().dialect.name == "sqlite":
        op.execute(f"DELETE FROM search_index WHERE (rowid & 15) = {SQLITE_CODE}")
    op.execute("ALTER TABLE documents DROP COLUMN current_text")
