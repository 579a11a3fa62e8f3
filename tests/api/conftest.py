"""Every response the API tests receive from /api/v1 is checked against the OpenAPI document:
its status must be one the operation lists, and its body must match that status's schema.
The check listens to Flask's `request_finished` signal, so no test can get around it."""

import json
import re

import pytest
from flask import request, request_finished
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from portal.api.openapi import openapi_spec
from portal.api.problems import PROBLEM_TYPE

API = "/api/v1/"
SPEC_URI = "urn:portal:openapi"
JSON_TYPES = ("application/json", PROBLEM_TYPE)
PROBLEM_SCHEMA = "/components/schemas/Problem"


def _pointer(*parts: str) -> str:
    return "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in parts)


def _template_for(spec: dict, path: str) -> str | None:
    for template in spec["paths"]:
        pattern = "^" + re.sub(r"\\\{[a-z_]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path):
            return template
    return None


def _schema_pointer(spec: dict, path: str, status: int, mimetype: str) -> str | None | list:
    """Where the document keeps this response's schema; None for a file or no body; a list
    of what is wrong when the document does not describe the response at all."""
    template = _template_for(spec, path)
    if template is None:  # an address the API does not serve: a 401 or 404 problem
        if status in (401, 404) and mimetype == PROBLEM_TYPE:
            return PROBLEM_SCHEMA
        return [f"{path}: {status} {mimetype} for an address the document does not have"]
    described = spec["paths"][template]["get"]["responses"].get(str(status))
    if described is None:
        return [f"{path}: status {status} is not in the document"]
    content = described.get("content")
    if content is None or "*/*" in content:
        return None
    if mimetype not in content:
        return [f"{path}: {status} as {mimetype}, the document says {sorted(content)}"]
    return _pointer(
        "paths", template, "get", "responses", str(status), "content", mimetype, "schema"
    )


def mismatches(spec: dict, path: str, status: int, mimetype: str, body: bytes) -> list[str]:
    """What is wrong with this response by the document (nothing: an empty list)."""
    pointer = _schema_pointer(spec, path, status, mimetype)
    if isinstance(pointer, list):
        return pointer
    if pointer is None:
        return []
    registry = Registry().with_resource(SPEC_URI, Resource(spec, specification=DRAFT202012))
    validator = Draft202012Validator({"$ref": f"{SPEC_URI}#{pointer}"}, registry=registry)
    return [f"{path}: {error.message}" for error in validator.iter_errors(json.loads(body))]


@pytest.fixture(autouse=True)
def responses_match_the_openapi_document(app):
    problems: list[str] = []
    spec = openapi_spec()

    def check(sender, response, **extra):
        if not request.path.startswith(API):
            return
        # A 304 keeps its body in the object; the server does not send it (werkzeug).
        readable = response.mimetype in JSON_TYPES and response.status_code != 304
        body = response.get_data() if readable else b""
        problems.extend(
            mismatches(spec, request.path, response.status_code, response.mimetype, body)
        )

    with request_finished.connected_to(check, app):
        yield
    assert problems == []
