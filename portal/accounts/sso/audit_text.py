"""How the audit log words an admin's change to an organisation's login with municipal
accounts."""

from portal.accounts.models import Organisation
from portal.accounts.sso.models import IdentityProvider
from portal.core.audit_text import FLAG, Entity, Field, name_loader, register_entity, register_names
from portal.core.i18n import _l

register_entity(
    "identity_provider",
    Entity(
        _l("Inloggning med kommunkonto"),
        _l("Inloggningen med kommunkonto för %(name)s"),
        _l("En inloggning med kommunkonto"),
        {
            "issuer": Field(_l("Utfärdare")),
            "client_id": Field(_l("Klient-id")),
            "client_secret": Field(_l("Klienthemlighet")),
            "allowed_domains": Field(_l("Tillåtna e-postdomäner")),
            "enabled": Field(_l("På"), kind=FLAG),
        },
        names="identity_provider",
    ),
)
register_names(
    "identity_provider",
    name_loader(IdentityProvider.id, Organisation.name, join=IdentityProvider.organisation),
)
