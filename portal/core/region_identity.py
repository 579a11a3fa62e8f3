"""The region's own words outside the pages' data: the short name of its county library, the
name its emails are sent under and the text of the page footer (`portal import-region` writes
them, one row in `region_settings`).

Every page shows the footer, so reading it must cost no statement of its own: each import gives
the row a new random `token`, which the login's one query per page brings along
(`token_column`, portal/accounts/sessions.py). The row is read again only when the token is one
this process has not seen; a token that is random, not counted up, cannot come back after a
rolled-back import with other words behind it. Without a logged-in person (the login page, the
worker sending emails) the row is read once per request or application context (a worker's
task)."""

import logging
import secrets
from typing import NamedTuple

from flask import g, has_request_context
from sqlalchemy import BigInteger, Column, Integer, String, Table, select
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db

log = logging.getLogger(__name__)

region_settings = Table(
    "region_settings",
    db.metadata,
    Column("id", Integer, primary_key=True),
    Column("short_name", String(100), nullable=False, default=""),
    Column("email_sender_name", String(200), nullable=False, default=""),
    Column("footer_text", String(500), nullable=False, default=""),
    Column("token", BigInteger, nullable=False),
)


class RegionIdentity(NamedTuple):
    short_name: str = ""
    email_sender_name: str = ""
    footer_text: str = ""


NOTHING_IMPORTED = RegionIdentity()
_seen: dict[int, RegionIdentity] = {}


def new_token() -> int:
    return secrets.randbits(62)


def token_column():
    """The row's token as a scalar subquery, for a query the page runs anyway."""
    return select(region_settings.c.token).limit(1).scalar_subquery()


def remember_token(token: int | None) -> None:
    g.region_token = token


def current_identity() -> RegionIdentity:
    """The region's words for this request (or application context)."""
    if "region_identity" not in g:
        if "region_token" not in g:
            g.region_identity = _read_or_nothing()
        elif g.region_token is None:
            g.region_identity = NOTHING_IMPORTED
        else:
            g.region_identity = _seen.get(g.region_token) or _read_or_nothing()
    return g.region_identity


def _read_or_nothing() -> RegionIdentity:
    """The words, or the generic ones when the database cannot be read: the error page that
    says the database is down must not fail on its footer."""
    try:
        return _read()
    except SQLAlchemyError as error:
        log.warning("The region's words could not be read, the generic ones are shown: %s", error)
        return NOTHING_IMPORTED


def region_footer() -> str:
    return current_identity().footer_text


def _read() -> RegionIdentity:
    """In a request through the request's session; elsewhere (the worker building a batch of
    emails) on a connection of its own, handed back at once, so that sending holds no session
    transaction open: a database restart mid-batch then breaks nothing of the caller's."""
    statement = select(
        region_settings.c.short_name,
        region_settings.c.email_sender_name,
        region_settings.c.footer_text,
        region_settings.c.token,
    ).limit(1)
    if has_request_context():
        row = db.session.execute(statement).first()
    else:
        with db.engine.connect() as connection:
            row = connection.execute(statement).first()
    if row is None:
        return NOTHING_IMPORTED
    identity = RegionIdentity(row.short_name, row.email_sender_name, row.footer_text)
    _seen.clear()  # one region per portal: only the latest words are worth keeping
    _seen[row.token] = identity
    return identity
