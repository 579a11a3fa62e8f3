"""Errors as RFC 9457 problem details (`application/problem+json`): type, title, status and
detail, the same shape for every status the API answers with."""

from http import HTTPStatus

from flask import Response, json, request
from pydantic import BaseModel, Field
from werkzeug.exceptions import BadRequest, HTTPException, MethodNotAllowed

from portal.api import bp
from portal.core.i18n import _l
from portal.extensions import db

PROBLEM_TYPE = "application/problem+json"
DETAILS = {
    400: _l("Frågan gick inte att förstå."),
    401: _l("Skicka en giltig API-nyckel i rubriken Authorization: Bearer."),
    403: _l("Din API-nyckel ger inte tillgång till det här."),
    404: _l("Det finns inget här, eller så får du inte läsa det."),
    405: _l("Läs-API:t tar bara emot GET."),
    429: _l("För många förfrågningar med den här nyckeln. Vänta en stund och försök igen."),
    500: _l("Något gick fel hos oss."),
}


class Problem(BaseModel):
    """An error, as RFC 9457 describes it."""

    type: str = Field(description="A URI naming the kind of problem; about:blank for none.")
    title: str = Field(description="The HTTP status in words.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong, for a person to read (Swedish).")


def problem(status: int, detail=None, headers: dict | None = None) -> Response:
    body = Problem(
        type="about:blank",
        title=HTTPStatus(status).phrase,
        status=status,
        detail=str(detail or DETAILS.get(status, "")),
    )
    response = Response(
        json.dumps(body.model_dump()), status=status, mimetype=PROBLEM_TYPE, headers=headers
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def unauthorized(error: str | None = None) -> Response:
    """401 with the challenge RFC 6750 asks for; `error="invalid_token"` when one was sent."""
    challenge = 'Bearer realm="api"'
    if error:
        challenge += f', error="{error}"'
    return problem(401, headers={"WWW-Authenticate": challenge})


class BadQuery(BadRequest):
    """A query parameter the API cannot use (a limit out of range, a cursor it did not
    make); its description is the detail."""


def http_error(error: HTTPException):
    db.session.rollback()
    if error.response is not None:  # made where it was raised (the rate limit's 429)
        return error.response
    code = error.code or 500
    return problem(code, error.description if isinstance(error, BadQuery) else None)


# By status code, as portal/core/errors.py registers the HTML pages: Flask prefers a handler
# for the code, the application's included, to one for the exception class.
for status in DETAILS:
    bp.register_error_handler(status, http_error)


@bp.before_app_request
def refuse_other_methods():
    """Any method but GET to an API address: 405 as a problem. Flask finds it while routing,
    before a blueprint is chosen, so the handlers above never see it."""
    refused = request.routing_exception
    if isinstance(refused, MethodNotAllowed) and request.path.startswith(f"{bp.url_prefix}/"):
        return problem(405, headers={"Allow": ", ".join(refused.valid_methods or ["GET"])})
    return None
