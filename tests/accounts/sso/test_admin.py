"""An admin's page for an organisation's login with municipal accounts."""

import pytest
from sqlalchemy import select

from portal.accounts.sso.models import IdentityProvider
from portal.core.audit import AuditEntry
from portal.extensions import db
from tests.factories import make_organisation

ENTRA = "https://login.microsoftonline.com/0b2c8e4e-4f7a-4e0a-9d7e-3f1c2a6b5d41/v2.0"
SETTINGS = {
    "issuer": ENTRA,
    "client_id": "portal-client",
    "client_secret": "first secret",
    "allowed_domains": "Timra.se, @skola.timra.se\ntimra.se",
    "enabled": "y",
}


def page_of(organisation) -> str:
    return f"/admin/organisationer/{organisation.id}/kommunkonto"


def saved(organisation) -> IdentityProvider:
    db.session.expire_all()
    return db.session.scalar(
        select(IdentityProvider).where(IdentityProvider.organisation_id == organisation.id)
    )


def test_the_organisation_page_links_to_its_municipal_login(client, login_as):
    organisation = make_organisation("Timrå bibliotek")
    login_as("admin")
    page = client.get(f"/admin/organisationer/{organisation.id}").get_data(as_text=True)
    assert page_of(organisation) in page
    assert "Inloggning med kommunkonto" in page


def test_an_admin_connects_the_idp_and_the_domains_are_tidied(client, login_as):
    organisation = make_organisation("Timrå bibliotek")
    login_as("admin")
    response = client.post(page_of(organisation), data=SETTINGS)
    assert response.status_code == 302
    row = saved(organisation)
    assert (row.issuer, row.client_id, row.client_secret) == (
        ENTRA,
        "portal-client",
        "first secret",
    )
    assert (row.allowed_domains, row.enabled) == ("timra.se skola.timra.se", True)
    page = client.get(page_of(organisation)).get_data(as_text=True)
    assert "first secret" not in page
    assert "http://portal.test/logga-in/kommunkonto/callback" in page  # to register at the IdP


def test_a_blank_secret_keeps_the_saved_one(client, login_as):
    organisation = make_organisation()
    login_as("admin")
    client.post(page_of(organisation), data=SETTINGS)
    client.post(page_of(organisation), data={**SETTINGS, "client_secret": "", "enabled": ""})
    row = saved(organisation)
    assert (row.client_secret, row.enabled) == ("first secret", False)


def test_the_change_is_audited_without_the_secret(client, login_as):
    organisation = make_organisation()
    admin = login_as("admin")
    client.post(page_of(organisation), data=SETTINGS)
    client.post(page_of(organisation), data={**SETTINGS, "client_secret": "second secret"})
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity == "identity_provider").order_by(AuditEntry.id)
    ).all()
    assert [(entry.action, entry.actor_id) for entry in entries] == [
        ("create", admin.id),
        ("update", admin.id),
    ]
    assert entries[1].changes == {"client_secret": [None, "******"]}
    assert "secret" not in str(entries[0].changes["issuer"])
    log = client.get("/admin/logg").get_data(as_text=True)
    assert f"Inloggningen med kommunkonto för {organisation.name}" in log
    assert "second secret" not in log and "first secret" not in log


def test_a_plain_http_issuer_is_refused_beside_the_field_keeping_what_was_typed(client, login_as):
    organisation = make_organisation()
    login_as("admin")
    response = client.post(
        page_of(organisation), data={**SETTINGS, "issuer": "http://login.timra.se"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Adressen måste börja med https://." in page
    assert 'value="http://login.timra.se"' in page
    assert 'value="portal-client"' in page
    assert saved(organisation) is None


def test_loopback_http_is_refused_unless_allowed(app, client, login_as):
    organisation = make_organisation()
    login_as("admin")
    app.config["SSO_ALLOW_HTTP_LOOPBACK"] = False
    try:
        refused = client.post(
            page_of(organisation), data={**SETTINGS, "issuer": "http://127.0.0.1:5113"}
        )
    finally:
        app.config["SSO_ALLOW_HTTP_LOOPBACK"] = True
    assert "Adressen måste börja med https://." in refused.get_data(as_text=True)
    client.post(page_of(organisation), data={**SETTINGS, "issuer": "http://127.0.0.1:5113"})
    assert saved(organisation).issuer == "http://127.0.0.1:5113"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"issuer": "https://[::1"}, "Skriv utfärdarens adress"),
        ({"allowed_domains": "timra.se, timrå kommun"}, "timrå är ingen domän."),
        ({"client_secret": ""}, "Fyll i klienthemligheten."),
    ],
    ids=["issuer-that-is-no-address", "domain-that-is-none", "new-idp-without-secret"],
)
def test_settings_that_cannot_work_are_refused_beside_their_field(
    client, login_as, changes, message
):
    organisation = make_organisation()
    login_as("admin")
    response = client.post(page_of(organisation), data={**SETTINGS, **changes})
    assert message in response.get_data(as_text=True)
    assert saved(organisation) is None


def test_the_login_page_offers_no_municipal_login_while_none_is_on(client, login_as):
    organisation = make_organisation("Timrå bibliotek")
    db.session.add(
        IdentityProvider(
            organisation=organisation,
            issuer=ENTRA,
            client_id="portal",
            client_secret="secret",
            enabled=False,
        )
    )
    db.session.commit()
    assert "kommunkonto" not in client.get("/logga-in").get_data(as_text=True)
