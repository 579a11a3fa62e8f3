"""The OpenAPI 3.1 document, built from the registered operations (operations.py) and their
Pydantic models, whose JSON Schema (2020-12) OpenAPI 3.1 takes as it is; served at
/api/v1/openapi.json without a token."""

import functools

from flask import abort, jsonify
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from portal.api import bp
from portal.api.operations import OPERATIONS, Operation
from portal.api.paging import DEFAULT_LIMIT, MAX_LIMIT
from portal.api.problems import PROBLEM_TYPE, Problem

REF_TEMPLATE = "#/components/schemas/{model}"
DESCRIPTION = (
    "Read-only JSON for programs. Make a personal access token on your profile (/profil, "
    "API-nycklar) and send it as `Authorization: Bearer <token>`; the API shows exactly what "
    "you may read on the pages. Lists are paged with `limit` and `cursor` (`next_cursor`); "
    "every answer has an ETag, and `If-None-Match` with it answers 304. Money is whole öre, "
    "dates and times ISO 8601 (UTC). Errors are RFC 9457 problem details."
)
LIST_PARAMETERS = [
    {
        "name": "limit",
        "in": "query",
        "required": False,
        "description": f"Rows per page (default {DEFAULT_LIMIT}).",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
    },
    {
        "name": "cursor",
        "in": "query",
        "required": False,
        "description": "The `next_cursor` of the previous page.",
        "schema": {"type": "string"},
    },
]
PROBLEM_WORDS = {
    "400": "A parameter could not be used (limit, cursor).",
    "401": "No token, or one that is unknown, expired or revoked.",
    "403": "The token's owner may not read this.",
    "404": "Nothing here, or nothing the token's owner may read.",
    "405": "Only GET is served.",
    "429": "Too many requests with this token; see Retry-After.",
}


def _problem_response(code: str, problem_ref: dict) -> dict:
    return {"description": PROBLEM_WORDS[code], "content": {PROBLEM_TYPE: {"schema": problem_ref}}}


def _success(operation: Operation, refs: dict) -> dict:
    if operation.response is None:
        return {
            "description": "The file, in its own media type, as an attachment.",
            "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
        }
    return {
        "description": "OK",
        "headers": {"ETag": {"schema": {"type": "string"}}},
        "content": {"application/json": {"schema": refs[operation.response]}},
    }


def _operation(operation: Operation, refs: dict, problem_ref: dict) -> dict:
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
        for name in operation.path_parameters
    ]
    if operation.paged:
        parameters += LIST_PARAMETERS
    parameters += [
        {
            "name": name,
            "in": "query",
            "required": False,
            "description": text,
            "schema": {"type": "integer"},
        }
        for name, text in operation.query.items()
    ]
    codes = ["401", "405", "429"]
    codes += ["400"] if operation.paged else []
    codes += ["403"] if operation.forbidden else []
    codes += ["404"] if operation.path_parameters else []
    responses = {"200": _success(operation, refs), "304": {"description": "Not modified."}}
    responses.update({code: _problem_response(code, problem_ref) for code in sorted(codes)})
    return {
        "operationId": operation.endpoint,
        "summary": operation.summary,
        "tags": [operation.tag],
        "parameters": parameters,
        "responses": responses,
    }


@functools.cache
def openapi_spec() -> dict:
    models: list[type[BaseModel]] = [Problem]
    models += [op.response for op in OPERATIONS if op.response and op.response not in models]
    keys, definitions = models_json_schema(
        [(model, "serialization") for model in models], ref_template=REF_TEMPLATE
    )
    refs = {model: keys[(model, "serialization")] for model in models}
    paths: dict = {
        "/api/v1/openapi.json": {
            "get": {
                "operationId": "openapi_document",
                "summary": "This document",
                "tags": ["meta"],
                "security": [],
                "responses": {
                    "200": {
                        "description": "OpenAPI 3.1",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        }
    }
    for operation in OPERATIONS:
        paths[operation.path] = {"get": _operation(operation, refs, refs[Problem])}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Portalens läs-API", "version": "1.0.0", "description": DESCRIPTION},
        "paths": paths,
        "components": {
            "schemas": definitions.get("$defs", {}),
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "lbp_…"}
            },
        },
        "security": [{"bearerAuth": []}],
    }


@bp.route("/openapi.json")
def openapi_document():
    return jsonify(openapi_spec())


@bp.route("", defaults={"rest": ""}, strict_slashes=False)
@bp.route("/<path:rest>")
def unknown(rest: str):
    """Any other address under /api/v1, /api/v1 itself included, answers 404 as a problem,
    not the HTML page."""
    abort(404)
