"""The search index, one per backend.

PostgreSQL: each source's table has a stored, generated `search_vector` column (the `swedish`
text-search configuration, weighted A–D) with a GIN index. The database keeps it current on
every INSERT and UPDATE, whoever writes, and ts_rank reads it instead of re-parsing the text.

SQLite: one FTS5 table, `search_index`, holds each indexed row's Swedish stems (title and body
columns; rowid = the row's id * 16 + its source's code). SQLite cannot call the Snowball stemmer
from a trigger, so the session's `after_flush` writes the stems of every row an ORM flush
created, changed or deleted, in the same transaction. Writes that bypass the ORM (bulk loads)
are followed by `flask --app wsgi portal reindex-search`.

Neither index is a model: the schema comes from the migration (and from `create_all` through
the listeners below), and Alembic's autogenerate is told to leave it alone (`include_name`).
"""

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import DDL, event, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from portal.core import after_commit
from portal.extensions import db
from portal.search.sources import SOURCES, Source
from portal.search.text import stemmed

FTS_TABLE = "search_index"
VECTOR_COLUMN = "search_vector"
CREATE_FTS = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} "
    "USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 0')"
)
BATCH = 2_000
_BY_MODEL = {source.model: source for source in SOURCES}


def vector_index_name(source: Source) -> str:
    return f"ix_{source.table_name}_search"


def postgres_ddl(source: Source) -> list[str]:
    """The generated tsvector column of a source's table and its GIN index."""
    vector = " || ".join(
        f"setweight(to_tsvector('swedish'::regconfig, coalesce({name}, '')), '{weight}')"
        for name, weight in source.fields
    )
    return [
        f"ALTER TABLE {source.table_name} ADD COLUMN {VECTOR_COLUMN} tsvector "
        f"GENERATED ALWAYS AS ({vector}) STORED",
        f"CREATE INDEX {vector_index_name(source)} ON {source.table_name} "
        f"USING gin ({VECTOR_COLUMN})",
        # Word statistics deep enough that a rare word is not taken for a common one: the
        # planner then reads it from the GIN index instead of scanning rows newest first.
        f"ALTER TABLE {source.table_name} ALTER COLUMN {VECTOR_COLUMN} SET STATISTICS 1000",
    ]


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic's autogenerate filter: the search index is written by hand in the migration."""
    if type_ == "table":
        return not (name == FTS_TABLE or (name or "").startswith(FTS_TABLE + "_"))
    if type_ == "column":
        return name != VECTOR_COLUMN
    if type_ == "index":
        return name not in {vector_index_name(source) for source in SOURCES}
    return True


def register_schema_listeners() -> None:
    """`create_all` (tests, the browser journeys) builds the same index as the migration."""
    if getattr(register_schema_listeners, "done", False):
        return
    register_schema_listeners.done = True
    for source in SOURCES:
        for statement in postgres_ddl(source):
            event.listen(
                source.model.__table__,
                "after_create",
                DDL(statement).execute_if(dialect="postgresql"),
            )
    event.listen(db.metadata, "after_create", DDL(CREATE_FTS).execute_if(dialect="sqlite"))
    event.listen(
        db.metadata,
        "before_drop",
        DDL(f"DROP TABLE IF EXISTS {FTS_TABLE}").execute_if(dialect="sqlite"),
    )


def rowid(source: Source, row_id: int) -> int:
    return row_id * 16 + source.code


def _index_query(source: Source):
    columns = [getattr(source.model, name) for name, _weight in source.fields]
    return select(source.model.id, *columns)


def _entries(source: Source, rows: Iterable) -> list[dict]:
    entries = []
    for row in rows:
        texts = dict(zip((name for name, _ in source.fields), row[1:], strict=True))
        entries.append(
            {
                "rowid": rowid(source, row[0]),
                "title": stemmed(" ".join(texts[n] or "" for n, w in source.fields if w == "A")),
                "body": stemmed(" ".join(texts[n] or "" for n, w in source.fields if w != "A")),
            }
        )
    return entries


def _insert(connection: Connection, entries: list[dict]) -> None:
    if entries:
        connection.execute(
            text(f"INSERT INTO {FTS_TABLE} (rowid, title, body) VALUES (:rowid, :title, :body)"),
            entries,
        )


def _remove(connection: Connection, rowids: list[int]) -> None:
    if rowids:
        connection.execute(
            text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :rowid"), [{"rowid": r} for r in rowids]
        )


def _text_changed(source: Source, obj) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name, _ in source.fields)


def register_flush_hooks() -> None:
    after_commit.after_flush("search_index", _follow_flush)


def _follow_flush(session: Session) -> None:
    """SQLite: re-stem what this flush created or changed, drop what it deleted."""
    changed: dict[Source, set[int]] = defaultdict(set)
    removed: dict[Source, set[int]] = defaultdict(set)
    for obj in session.new:
        if (source := _BY_MODEL.get(type(obj))) is not None:
            changed[source].add(obj.id)
    for obj in session.dirty:
        if (source := _BY_MODEL.get(type(obj))) is not None and _text_changed(source, obj):
            changed[source].add(obj.id)
    for obj in session.deleted:
        if (source := _BY_MODEL.get(type(obj))) is not None:
            removed[source].add(obj.id)
    if not changed and not removed:
        return
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    for source in SOURCES:
        ids = changed.get(source, set()) - removed.get(source, set())
        _remove(connection, [rowid(source, i) for i in ids | removed.get(source, set())])
        if ids:
            rows = connection.execute(_index_query(source).where(source.model.id.in_(ids)))
            _insert(connection, _entries(source, rows))


def clear_index() -> None:
    """Empty the SQLite index (tests empty every table between them); PostgreSQL's vectors
    live in the rows themselves."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        connection.execute(text(f"DELETE FROM {FTS_TABLE}"))


def rebuild_index() -> dict[str, int]:
    """Build the index afresh from the tables; returns how many rows of each kind it holds.
    The caller commits."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        return _rebuild_postgres(connection)
    clear_index()
    counts = {}
    for source in SOURCES:
        counts[source.kind] = 0
        result = connection.execution_options(yield_per=BATCH).execute(_index_query(source))
        for rows in result.partitions():
            entries = _entries(source, rows)
            _insert(connection, entries)
            counts[source.kind] += len(entries)
    connection.execute(text(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')"))
    return counts


def _rebuild_postgres(connection: Connection) -> dict[str, int]:
    """The vectors are generated columns, always current: rebuild their GIN indexes and give
    the planner fresh statistics of the words in them."""
    counts = {}
    for source in SOURCES:
        connection.execute(text(f"REINDEX INDEX {vector_index_name(source)}"))
        connection.execute(text(f"ANALYZE {source.table_name}"))
        counts[source.kind] = connection.scalar(text(f"SELECT count(*) FROM {source.table_name}"))
    return counts
