"""A passkey in a real browser: Chromium's virtual authenticator (the DevTools protocol's
WebAuthn domain) plays a laptop with a fingerprint reader.

Karin Holm at Kramfors bibliotek logs in with her password, registers a passkey from her
profile by keyboard, logs out, and logs in again with the passkey alone: no email address,
no password. Passkeys are bound to a domain name, never an IP address, so the journey uses
http://localhost, which browsers count as a secure origin.
"""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.accounts.models import Passkey
from portal.extensions import db
from tests.browser.keyboard import (
    assert_accessible,
    fill_by_keyboard,
    heading,
    log_in,
    press_button,
)

pytestmark = pytest.mark.browser

LIBRARIAN_EMAIL = "bibliotekarie@kramfors.example"
LIBRARIAN_PASSWORD = "demo-bibliotekarie-hoga-kusten"
# The profile's passkey form comes after the profile's own fields and links.
PROFILE_TABS = 80


def add_virtual_authenticator(page) -> str:
    """A built-in authenticator that keeps passkeys and verifies its user, as a laptop's
    fingerprint reader does; it answers every ceremony at once."""
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    added = devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    page.devtools = devtools  # kept alive with the page
    return added["authenticatorId"]


def test_librarian_registers_a_passkey_and_logs_in_with_it_alone(live_server, chromium):
    site = live_server.url.replace("127.0.0.1", "localhost")
    context = chromium.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    page = context.new_page()
    authenticator = add_virtual_authenticator(page)

    page.goto(site + "/profil")
    expect(heading(page)).to_have_text("Logga in")
    passkey_button = page.get_by_role("button", name="Logga in med passkey")
    expect(passkey_button).to_be_visible()  # the browser has WebAuthn: the script shows it
    log_in(page, LIBRARIAN_EMAIL, LIBRARIAN_PASSWORD)
    expect(heading(page)).to_have_text("Min profil")
    expect(page.get_by_text("Du har inga passkeys ännu.")).to_be_visible()
    expect(page.get_by_text("Den här webbläsaren kan inte registrera passkeys")).to_be_hidden()

    fill_by_keyboard(page, page.get_by_label("Namn på passkeyn"), "Jobbdatorn")
    press_button(page, page.get_by_role("button", name="Registrera passkey"), PROFILE_TABS)
    expect(page.get_by_text("Passkeyn är registrerad.")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Jobbdatorn")).to_be_visible()
    assert_accessible(page)
    credentials = page.devtools.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})[
        "credentials"
    ]
    assert len(credentials) == 1 and credentials[0]["isResidentCredential"]
    with live_server.app.app_context():
        passkey = db.session.scalar(select(Passkey))
        assert passkey.name == "Jobbdatorn"
        assert passkey.user.email == LIBRARIAN_EMAIL

    press_button(page, page.get_by_role("button", name="Logga ut", exact=True), PROFILE_TABS)
    expect(heading(page)).to_have_text("Logga in")
    assert_accessible(page)

    press_button(page, page.get_by_role("button", name="Logga in med passkey"))
    expect(heading(page)).to_have_text("Välkommen, Karin Holm")
    page.goto(site + "/profil")
    expect(page.get_by_role("row", name="Jobbdatorn")).not_to_contain_text("Aldrig")
    context.close()


def test_a_cancelled_passkey_login_says_so_and_leaves_the_password_form(live_server, chromium):
    site = live_server.url.replace("127.0.0.1", "localhost")
    context = chromium.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    page = context.new_page()
    add_virtual_authenticator(page)  # it holds no passkey for the portal

    page.goto(site + "/logga-in")
    page.get_by_role("button", name="Logga in med passkey").click()
    expect(page.get_by_role("alert")).to_contain_text("avbröts eller misslyckades", timeout=20_000)
    expect(page.get_by_label("Lösenord", exact=True)).to_be_visible()
    context.close()


def test_without_webauthn_the_login_page_is_the_password_form(live_server, chromium):
    context = chromium.new_context(locale="sv-SE")
    context.add_init_script("delete window.PublicKeyCredential;")
    page = context.new_page()
    page.goto(live_server.url + "/logga-in")
    expect(page.get_by_label("Lösenord", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Logga in med passkey")).to_be_hidden()
    context.close()
