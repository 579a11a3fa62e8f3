"""Database tuning per backend."""

from flask import Flask
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

# For the rest of the transaction: no JIT compilation, which costs more than the portal's queries
# take; and a plan made for each statement's own values. psycopg prepares the statements it runs
# often, and the plan the server then reuses for every value cannot tell a word in every row
# from a word in three, nor a library in 28 000 projects from one in three (reading the newest
# updates in order and stopping after ten is right for the first, 1.5 s for the second).
PLAN_EACH_STATEMENT = text(
    "SELECT set_config('jit', 'off', true), "
    "set_config('plan_cache_mode', 'force_custom_plan', true)"
)


def tune_engine(app: Flask) -> None:
    """SQLite is shared by the web server and the worker, so it waits for locks; PostgreSQL
    gets a connect timeout, so an unreachable server cannot hold a request for long."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite"):
        connect_args = {"timeout": 30}
    elif url.startswith("postgresql"):
        connect_args = {"connect_timeout": app.config["DATABASE_CONNECT_TIMEOUT_SECONDS"]}
    else:
        return
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options["connect_args"] = {**connect_args, **options.get("connect_args", {})}
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


@event.listens_for(Engine, "connect")
def set_sqlite_pragmas(dbapi_connection, connection_record):
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
    dbapi_connection.create_function("lower", 1, unicode_lower, deterministic=True)


def unicode_lower(value):
    """SQLite's own lower() leaves every letter outside ASCII alone, so "Äldre" and "äldre"
    would not clash by name there while they do on PostgreSQL (and then the unique index
    refuses the row the check let through)."""
    return value.lower() if isinstance(value, str) else value


def plan_each_statement(session: Session) -> None:
    """On PostgreSQL, `PLAN_EACH_STATEMENT` for the session's transaction."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(PLAN_EACH_STATEMENT)
