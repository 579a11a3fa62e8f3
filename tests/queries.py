"""Counting SQL statements: a page built from a read model runs a fixed number of them."""

from contextlib import contextmanager

from sqlalchemy import event

from portal.extensions import db


@contextmanager
def counted_statements():
    """Collects every statement sent to the database inside the block."""
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
