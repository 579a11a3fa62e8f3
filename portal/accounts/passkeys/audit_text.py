"""How the audit log words a passkey added or removed."""

from portal.core.audit_text import Entity, Field, register_entity
from portal.core.i18n import _l

register_entity(
    "passkey",
    Entity(
        _l("Passkey"),
        _l("Passkeyn %(name)s"),
        _l("En passkey"),
        {"name": Field(_l("Namn"))},
        name_field="name",
    ),
)
