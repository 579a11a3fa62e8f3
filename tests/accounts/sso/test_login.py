"""Logging in with a municipal account, through a real OpenID provider on loopback."""

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from sqlalchemy import func, select

from portal.accounts.models import Invitation, User
from portal.accounts.sso.models import ExternalIdentity, IdentityProvider
from portal.extensions import db
from tests.accounts.sso.provider import CLIENT_ID, CLIENT_SECRET, through_provider
from tests.factories import give_totp, make_invitation_token, make_organisation, make_user

FAILED = "Inloggningen med kommunkonto misslyckades eller har gått ut."


def connect(idp, domains: str = "timra.se", enabled: bool = True) -> IdentityProvider:
    """Timrå bibliotek with its IdP: the test provider, with the portal's client."""
    organisation = make_organisation("Timrå bibliotek")
    provider = IdentityProvider(
        organisation=organisation,
        issuer=idp.issuer,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        allowed_domains=domains,
        enabled=enabled,
    )
    db.session.add(provider)
    db.session.commit()
    return provider


def start(client, provider, next_path: str | None = None):
    """The organisation's link on the login page."""
    url = f"/logga-in/kommunkonto/{provider.organisation_id}"
    return client.get(url + (f"?next={next_path}" if next_path else ""))


def callback_for(client, idp, provider, email: str, **account) -> str:
    """The portal's button and the provider's login: the callback the provider sends back."""
    subject = idp.add_account(email, **account)
    started = start(client, provider)
    assert started.status_code == 302
    return through_provider(started.headers["Location"], subject)


def log_in(client, idp, provider, email: str, **account):
    """The whole way: the portal's button, the provider's login, the portal's callback."""
    return client.get(callback_for(client, idp, provider, email, **account))


def assert_refused(client, response, message: str) -> None:
    """Back on the login page with the message, and logged in nowhere."""
    assert response.status_code == 302
    assert response.headers["Location"] == "/logga-in"
    assert message in client.get("/logga-in").get_data(as_text=True)
    assert client.get("/profil").status_code == 302


def user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_login_page_offers_the_municipal_account_of_organisations_with_an_idp(client, idp):
    provider = connect(idp)
    page = client.get("/logga-in?next=/nyheter").get_data(as_text=True)
    assert "Logga in med ditt kommunkonto" in page
    link = f'href="/logga-in/kommunkonto/{provider.organisation_id}?next=/nyheter">Timrå bibliotek'
    assert link in page


def test_a_person_of_an_allowed_domain_gets_a_member_account_and_is_logged_in(client, idp):
    provider = connect(idp)
    subject = idp.add_account("Karin.Berg@Timra.se", name="Karin Berg")
    started = start(client, provider)
    response = client.get(through_provider(started.headers["Location"], subject))
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/profil").status_code == 200
    user = db.session.scalar(select(User).where(User.email == "karin.berg@timra.se"))
    assert (user.name, user.role, user.organisation_id) == (
        "Karin Berg",
        "member",
        provider.organisation_id,
    )
    assert user.last_login_at is not None
    identity = db.session.scalar(
        select(ExternalIdentity).where(ExternalIdentity.user_id == user.id)
    )
    assert (identity.issuer, identity.subject) == (idp.issuer, subject)


def test_the_next_login_finds_the_account_by_sub_even_with_a_new_address(client, idp):
    provider = connect(idp)
    subject = idp.add_account("karin.berg@timra.se")
    client.get(through_provider(start(client, provider).headers["Location"], subject))
    client.post("/logga-ut")
    idp.add_account("karin.lind@timra.se", subject=subject)  # she married; same person at the IdP
    client.get(through_provider(start(client, provider).headers["Location"], subject))
    assert client.get("/profil").status_code == 200
    assert user_count() == 1


def test_an_unknown_domain_is_refused_and_gets_no_account(client, idp):
    provider = connect(idp, domains="timra.se")
    before = user_count()
    response = log_in(client, idp, provider, "nils@sundsvall.se")
    assert_refused(
        client, response, "Adresser på sundsvall.se får inte logga in med kommunkonto hos Timrå"
    )
    assert user_count() == before


def test_an_address_the_idp_did_not_verify_is_refused(client, idp):
    provider = connect(idp)
    response = log_in(client, idp, provider, "karin@timra.se", email_verified=False)
    assert_refused(client, response, "Kommunkontot har ingen bekräftad e-postadress.")
    assert user_count() == 0


def test_an_address_entra_id_vouches_for_by_xms_edov_gets_in(client, idp):
    """Microsoft Entra ID sends no email_verified; its optional claim xms_edov says the
    tenant owns the address's domain."""
    provider = connect(idp, domains="timra.se")
    log_in(client, idp, provider, "karin@timra.se", email_verified=None, xms_edov=True)
    assert client.get("/profil").status_code == 200
    assert db.session.scalar(select(User.email)) == "karin@timra.se"


def test_an_invited_person_gets_the_invitations_role_whatever_the_domain(client, idp):
    provider = connect(idp, domains="timra.se")
    make_invitation_token("astrid@lansbiblioteket.example", "Astrid Ek", role="staff")
    invitation = db.session.scalar(select(Invitation))
    invitation.organisation_id = provider.organisation_id
    db.session.commit()
    response = log_in(client, idp, provider, "astrid@lansbiblioteket.example", amr=["pwd", "mfa"])
    assert response.headers["Location"] == "/"
    user = db.session.scalar(select(User).where(User.email == "astrid@lansbiblioteket.example"))
    assert (user.name, user.role, user.organisation_id) == (
        "Astrid Ek",
        "staff",
        provider.organisation_id,
    )
    assert invitation.accepted_at is not None


def test_a_changed_state_is_refused(client, idp):
    provider = connect(idp)
    callback = urlsplit(callback_for(client, idp, provider, "karin@timra.se"))
    query = {key: values[0] for key, values in parse_qs(callback.query).items()}
    query["state"] = "someone-elses-state"
    response = client.get(f"{callback.path}?{urlencode(query)}")
    assert_refused(client, response, FAILED)
    assert user_count() == 0


def test_a_replayed_code_is_refused(app, client, idp):
    provider = connect(idp)
    callback = callback_for(client, idp, provider, "karin@timra.se")
    before_callback = client.get_cookie("session").value
    assert client.get(callback).headers["Location"] == "/"
    client.post("/logga-ut")
    assert_refused(client, client.get(callback), FAILED)  # the login under way is used up
    thief = app.test_client()  # with the cookie from before the callback: the IdP says no
    thief.set_cookie("session", before_callback)
    assert_refused(thief, thief.get(callback), FAILED)


@pytest.mark.parametrize(
    "mode",
    ["wrong_issuer", "wrong_audience", "expired", "forged_signature", "unknown_key"],
    ids=[
        "issuer-of-another-idp",
        "audience-of-another-client",
        "expired",
        "signed-by-another-key",
        "signed-by-a-key-not-in-the-jwks",
    ],
)
def test_an_id_token_the_portal_cannot_trust_is_refused(client, idp, mode):
    provider = connect(idp)
    idp.set_mode(mode)
    response = log_in(client, idp, provider, "karin@timra.se")
    assert_refused(client, response, FAILED)
    assert user_count() == 0


def test_staff_whose_idp_did_mfa_get_straight_in(client, idp):
    provider = connect(idp)
    make_user(role="staff", email="eva@timra.se", organisation=provider.organisation)
    response = log_in(client, idp, provider, "eva@timra.se", amr=["pwd", "mfa"])
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_staff_without_mfa_at_the_idp_and_without_a_second_factor_are_sent_to_enrol(client, idp):
    provider = connect(idp)
    make_user(role="staff", email="eva@timra.se", organisation=provider.organisation)
    response = log_in(client, idp, provider, "eva@timra.se", amr=["pwd"])
    assert response.headers["Location"] == "/profil/tvastegsverifiering"
    assert client.get("/").headers["Location"] == "/profil/tvastegsverifiering"


def test_staff_without_mfa_at_the_idp_are_asked_for_their_second_factor(client, idp):
    provider = connect(idp)
    give_totp(make_user(role="staff", email="eva@timra.se", organisation=provider.organisation))
    response = log_in(client, idp, provider, "eva@timra.se", amr=["pwd"])
    assert response.headers["Location"] == "/logga-in/kod"
    assert client.get("/profil").status_code == 302  # not logged in before the code


def test_an_account_of_another_organisation_is_not_taken_over(client, idp):
    provider = connect(idp)
    make_user(email="eva@timra.se", organisation=make_organisation("Sundsvalls bibliotek"))
    response = log_in(client, idp, provider, "eva@timra.se", amr=["pwd", "mfa"])
    assert_refused(client, response, "Det finns redan ett konto med eva@timra.se.")
    assert db.session.scalar(select(func.count()).select_from(ExternalIdentity)) == 0


def test_an_idp_that_does_not_answer_is_said_so_on_the_login_page(client, idp):
    provider = connect(idp)
    provider.issuer = "http://127.0.0.1:1"  # nothing listens on port 1
    db.session.commit()
    assert_refused(client, start(client, provider), "Det gick inte att nå kommunens inloggning.")


def test_an_organisation_whose_login_is_off_sends_back_to_the_login_page(client, idp):
    provider = connect(idp, enabled=False)
    assert_refused(client, start(client, provider), "Organisationen har ingen inloggning")


def test_the_person_comes_back_to_the_page_they_asked_for(client, idp):
    provider = connect(idp)
    subject = idp.add_account("karin@timra.se")
    started = start(client, provider, next_path="/nyheter")
    response = client.get(through_provider(started.headers["Location"], subject))
    assert response.headers["Location"] == "/nyheter"


def test_a_deactivated_account_is_refused(client, idp):
    provider = connect(idp)
    make_user(email="eva@timra.se", organisation=provider.organisation, active=False)
    response = log_in(client, idp, provider, "eva@timra.se", amr=["pwd", "mfa"])
    assert_refused(client, response, "Kontot är avaktiverat.")
