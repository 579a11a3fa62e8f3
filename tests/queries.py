"""Counting SQL statements: a page built from a read model runs a fixed number of them."""

from contextlib import contextmanager

from sqlalchemy import event

from portal.extensions import db

SAVEPOINT_STATEMENTS = ("SAVEPOINT ", "RELEASE SAVEPOINT ", "ROLLBACK TO SAVEPOINT ")


@contextmanager
def counted_statements():
    """Collects every statement sent to the database inside the block, but the SAVEPOINTs
    that stand in for BEGIN and COMMIT in a test's rolled-back transaction (tests/conftest.py):
    in production those are not statements of their own."""
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if not statement.startswith(SAVEPOINT_STATEMENTS):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
