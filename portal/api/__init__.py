"""The read API at /api/v1: JSON for programs, read only, authenticated by a personal access
token (portal/accounts/api_tokens/) sent as `Authorization: Bearer`.

A token reads exactly what its owner reads on the pages: every resource asks the same
permission queries the pages ask. `operations` registers each endpoint with its response model,
and the OpenAPI 3.1 document at /api/v1/openapi.json is built from that registry; `auth` checks
the token and the rate limit, `problems` words every error as RFC 9457 problem+json, `paging`
holds the cursor pagination and the ETag.
"""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from portal.api import auth, content, openapi, problems, resources, statistics  # noqa: E402,F401
