"""How the audit log words a personal access token made or revoked."""

from portal.core.audit_text import Entity, Field, register_entity
from portal.core.i18n import _l

register_entity(
    "api_token",
    Entity(
        _l("API-nyckel"),
        _l("API-nyckeln %(name)s"),
        _l("En API-nyckel"),
        {"name": Field(_l("Namn"))},
        name_field="name",
    ),
)
