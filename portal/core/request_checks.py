"""Input no page can take, refused with 400 before any view or query sees it.

A NUL character has no place in an address, a query value or a form field, and PostgreSQL
cannot store or compare one in text: a slug or a filter with one would otherwise end as a
database error. Uploaded files are bytes and may hold NULs; their names are cleaned where they
are stored (`portal.documents.services.clean_filename`).
"""

from flask import Flask, abort, request
from werkzeug.datastructures import MultiDict

NUL = "\x00"


def has_nul(values: MultiDict) -> bool:
    return any(NUL in key or NUL in value for key, value in values.items(multi=True))


def refuse_nul_characters() -> None:
    if NUL in request.path or has_nul(request.args) or has_nul(request.form):
        abort(400)


def register_request_checks(app: Flask) -> None:
    app.before_request(refuse_nul_characters)
