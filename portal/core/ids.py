"""Ids and other whole numbers read from addresses, query strings and forms: 1 to 2 147 483 647.

PostgreSQL's `integer` holds no more, and a larger number sent to the database is an error, not
an empty answer; so every number a person can type is checked here, where it is read: the `id`
converter for addresses (`/dokument/<id:document_id>`, out of range is 404) and `parse_id` for
everything else.
"""

from werkzeug.routing import IntegerConverter, ValidationError

MAX_ID = 2**31 - 1


def parse_id(value) -> int:
    """The number, or ValueError (TypeError for None) when it is not one from 1 to MAX_ID.
    Usable as `request.args.get("grant", type=parse_id)`."""
    number = int(value)
    if not 1 <= number <= MAX_ID:
        raise ValueError(f"{number} is not an id")
    return number


class IdConverter(IntegerConverter):
    """`<id:name>` in a route: digits that make an id, else the rule does not match (404)."""

    def to_python(self, value: str) -> int:
        try:
            return parse_id(value)
        except ValueError:
            raise ValidationError() from None
