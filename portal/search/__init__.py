"""Search: one box over projects, news and comments (and whatever source is added), with
Swedish stemming on PostgreSQL and SQLite, filtered by what the reader may see."""

from flask import Blueprint

from portal.search.index import register_schema_listeners

bp = Blueprint("search", __name__)
register_schema_listeners()

from portal.search import routes  # noqa: E402,F401
