"""search index: tsvector columns with GIN indexes (PostgreSQL), an FTS5 table (SQLite)

PostgreSQL: projects, news_items and news_comments get a stored, generated `search_vector`
(the `swedish` configuration, weighted: title A, summary B, the rest C) and a GIN index on it;
the database keeps them current. Deeper statistics on it let the planner tell rare words from
common ones. SQLite: one FTS5 table, `search_index`, of Swedish stems that
the portal writes itself (portal/search/index.py); fill it for existing rows with
`flask --app wsgi portal reindex-search`.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 10:00:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

VECTORS = {
    "projects": (("title", "A"), ("summary", "B"), ("description", "C")),
    "news_items": (("title", "A"), ("body", "C")),
    "news_comments": (("body", "C"),),
}


def _vector(fields) -> str:
    return " || ".join(
        f"setweight(to_tsvector('swedish'::regconfig, coalesce({name}, '')), '{weight}')"
        for name, weight in fields
    )


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for table, fields in VECTORS.items():
            op.execute(
                f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
                f"GENERATED ALWAYS AS ({_vector(fields)}) STORED"
            )
            op.execute(f"CREATE INDEX ix_{table}_search ON {table} USING gin (search_vector)")
            op.execute(f"ALTER TABLE {table} ALTER COLUMN search_vector SET STATISTICS 1000")
    elif dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS search_index "
            "USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 0')"
        )


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for table in VECTORS:
            op.execute(f"DROP INDEX IF EXISTS ix_{table}_search")
            op.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")
    elif dialect == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_index")
