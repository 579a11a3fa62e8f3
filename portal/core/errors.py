"""Domain errors raised by services and the Swedish error pages."""

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException

from portal.extensions import db


class DomainError(Exception):
    """A rule was broken; `message` is shown to the person."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationError(DomainError):
    pass


class PermissionDenied(DomainError):
    pass


ERROR_CODES = (400, 403, 404, 405, 413, 429, 500)


def register_error_pages(app: Flask) -> None:
    def render_error(error: HTTPException):
        # Whatever the view left half done is dropped first: after a failed flush the session
        # refuses every query, the error page's own (the signed-in user, say) included.
        db.session.rollback()
        if error.response is not None:  # the page was made where the error was raised (a limit)
            return error.response
        code = error.code or 500
        return render_template("errors/error.html", code=code), code

    for code in ERROR_CODES:
        app.register_error_handler(code, render_error)
