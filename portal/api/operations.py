"""The registry of API operations: each view is registered once, with its route, its
response model and its parameters, and the OpenAPI document (openapi.py) is built from here,
so the document cannot describe an endpoint the code does not serve."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import BaseModel

from portal.api import bp


@dataclass(frozen=True)
class Operation:
    rule: str
    endpoint: str
    summary: str
    tag: str
    response: type[BaseModel] | None  # None: a file download
    paged: bool = False
    query: dict[str, str] = field(default_factory=dict)  # name -> description (integers)
    forbidden: bool = False  # some roles are refused (403)

    @property
    def path(self) -> str:
        """The rule as an OpenAPI path: <id:project_id> -> {project_id}."""
        return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", f"{bp.url_prefix}{self.rule}")

    @property
    def path_parameters(self) -> list[str]:
        return re.findall(r"\{([a-z_]+)\}", self.path)


OPERATIONS: list[Operation] = []


def operation(
    rule: str,
    summary: str,
    tag: str,
    response: type[BaseModel] | None,
    **options,
) -> Callable:
    """Register the view as a GET on the API blueprint and describe it for the document."""

    def decorator(view: Callable) -> Callable:
        bp.add_url_rule(rule, view_func=view, methods=["GET"])
        OPERATIONS.append(Operation(rule, view.__name__, summary, tag, response, **options))
        return view

    return decorator
