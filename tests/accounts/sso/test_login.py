"""Logging in with a municipal account, through a real OpenID provider on loopback."""

from sqlalchemy import select

from portal.accounts.models import User
from portal.accounts.sso.models import ExternalIdentity, IdentityProvider
from portal.extensions import db
from tests.accounts.sso.provider import CLIENT_ID, CLIENT_SECRET, through_provider
from tests.factories import make_organisation


def connect(idp, domains: str = "timra.se", **fields) -> IdentityProvider:
    """Timrå bibliotek with its IdP: the test provider, with the portal's client."""
    organisation = make_organisation("Timrå bibliotek")
    provider = IdentityProvider(
        organisation=organisation,
        issuer=idp.issuer,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        allowed_domains=domains,
        enabled=True,
        **fields,
    )
    db.session.add(provider)
    db.session.commit()
    return provider


def start(client, provider, next_path: str | None = None):
    url = "/logga-in/kommunkonto" + (f"?next={next_path}" if next_path else "")
    return client.post(url, data={"organisation_id": provider.organisation_id})


def log_in(client, idp, provider, email: str, **account):
    """The whole way: the portal's button, the provider's login, the portal's callback."""
    subject = idp.add_account(email, **account)
    started = start(client, provider)
    assert started.status_code == 302
    return client.get(through_provider(started.headers["Location"], subject)), subject


def test_login_page_offers_the_municipal_account_of_organisations_with_an_idp(client, idp):
    connect(idp)
    page = client.get("/logga-in").get_data(as_text=True)
    assert "Logga in med ditt kommunkonto" in page
    assert "Timrå bibliotek" in page


def test_a_person_of_an_allowed_domain_gets_a_member_account_and_is_logged_in(client, idp):
    provider = connect(idp)
    response, subject = log_in(client, idp, provider, "Karin.Berg@Timra.se")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/profil").status_code == 200
    user = db.session.scalar(select(User).where(User.email == "karin.berg@timra.se"))
    assert (user.role, user.organisation_id) == ("member", provider.organisation_id)
    assert user.last_login_at is not None
    identity = db.session.scalar(
        select(ExternalIdentity).where(ExternalIdentity.user_id == user.id)
    )
    assert (identity.issuer, identity.subject) == (idp.issuer, subject)
