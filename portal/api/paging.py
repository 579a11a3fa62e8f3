"""Cursor pagination and the JSON response with its ETag.

A list is ordered by id; its cursor is opaque to the client (base64 of the last id sent), so a
row added or removed between two requests neither repeats nor skips another, as page numbers
would. The ETag is the body's hash (werkzeug's `add_etag`), answered with 304 when it matches
`If-None-Match` (`make_conditional`).
"""

import base64
import binascii
import json
from typing import Generic, TypeVar

from flask import Response, request
from pydantic import BaseModel, Field
from sqlalchemy import Select

from portal.api.problems import BadQuery
from portal.core.i18n import _l
from portal.extensions import db

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    data: list[T]
    next_cursor: str | None = Field(
        description="Send as `cursor` for the next page; null on the last page."
    )


def _limit() -> int:
    value = request.args.get("limit", str(DEFAULT_LIMIT))
    if not value.isdigit() or not 1 <= int(value) <= MAX_LIMIT:
        raise BadQuery(str(_l("limit ska vara ett heltal från 1 till 200.")))
    return int(value)


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": last_id}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        after = json.loads(base64.urlsafe_b64decode(padded.encode()))["after"]
    except (ValueError, TypeError, KeyError, binascii.Error):
        after = None
    if not isinstance(after, int) or isinstance(after, bool) or after < 0:
        raise BadQuery(str(_l("cursor känns inte igen: använd next_cursor från förra svaret.")))
    return after


def paged(statement: Select, id_column) -> tuple[list, str | None]:
    """One page of the entities `statement` selects, by id after the request's cursor, and the
    cursor of the next page (None when this is the last)."""
    limit = _limit()
    cursor = request.args.get("cursor")
    if cursor:
        statement = statement.where(id_column > decode_cursor(cursor))
    rows = list(db.session.scalars(statement.order_by(id_column).limit(limit + 1)))
    if len(rows) > limit:
        return rows[:limit], encode_cursor(rows[limit - 1].id)
    return rows, None


def json_response(body: BaseModel) -> Response:
    """The body as JSON with a strong ETag; 304 without a body when the client has it."""
    response = Response(body.model_dump_json(), mimetype="application/json")
    response.headers["Cache-Control"] = "private, no-cache"
    response.add_etag()
    response.make_conditional(request)
    del response.headers["Date"]  # make_conditional's; the server sends its own
    return response
