"""The whole invitation journey in a real browser, by keyboard, checked by axe-core on every page.

An admin invites a municipal librarian at Kramfors bibliotek; the librarian opens the link from
the email, chooses a password, logs in and edits the profile. Nothing is clicked: focus moves with
Tab, text is typed, Enter submits, and every element reached must show a visible focus ring.
"""

import email
import email.policy
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.accounts.models import User
from portal.extensions import db
from tests.browser.keyboard import (
    assert_accessible,
    fill_by_keyboard,
    heading,
    log_in,
    press_button,
    tab_to,
)

pytestmark = pytest.mark.browser

ADMIN_EMAIL = "admin@lansbiblioteket.example"
ADMIN_PASSWORD = "demo-admin-hoga-kusten"
INVITEE_EMAIL = "maja.lund@kramfors.example"
INVITEE_NAME = "Maja Lund"
INVITEE_PASSWORD = "tidig-vår-längs-höga-kusten"


def invitation_link(server) -> str:
    (eml,) = sorted(server.outbox.glob("*.eml"))
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert message["To"] == INVITEE_EMAIL
    text = message.get_body(("plain",)).get_content()
    assert "Kramfors bibliotek" in text
    return re.search(re.escape(server.url) + r"/inbjudan/\S+", text).group(0)


def test_admin_invites_kramfors_librarian_who_joins_and_edits_profile_by_keyboard(
    live_server, chromium
):
    admin = chromium.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    page = admin.new_page()

    page.goto(live_server.url + "/")
    expect(heading(page)).to_have_text("Logga in")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    assert_accessible(page)
    tab_to(page, page.get_by_role("link", name="Hoppa till innehållet"))
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    log_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    expect(heading(page)).to_have_text("Välkommen, Astrid Nordin")

    # The start page's projects, deadlines, news and documents come before the menu again.
    press_button(page, page.get_by_role("link", name="Användare"), 120)
    expect(heading(page)).to_have_text("Användare")
    assert_accessible(page)

    press_button(page, page.get_by_role("link", name="Bjud in användare"))
    expect(heading(page)).to_have_text("Bjud in användare")
    assert_accessible(page)

    press_button(page, page.get_by_role("button", name="Skicka inbjudan"))
    expect(page.get_by_label("E-postadress")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    fill_by_keyboard(page, page.get_by_label("E-postadress"), INVITEE_EMAIL)
    fill_by_keyboard(page, page.get_by_label("Namn"), INVITEE_NAME)
    organisation = page.get_by_label("Organisation")
    tab_to(page, organisation)
    page.keyboard.type("Kramfors")
    expect(organisation.locator("option:checked")).to_have_text("Kramfors bibliotek")
    role = page.get_by_label("Roll")
    tab_to(page, role)
    page.keyboard.type("Kommun")
    expect(role.locator("option:checked")).to_have_text("Kommunbibliotekarie")
    press_button(page, page.get_by_role("button", name="Skicka inbjudan"))

    expect(heading(page)).to_have_text("Användare")
    expect(page.get_by_role("status")).to_contain_text(f"Inbjudan till {INVITEE_EMAIL} är skickad.")
    assert_accessible(page)
    admin.close()

    invitee = chromium.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    page = invitee.new_page()
    page.goto(invitation_link(live_server))
    expect(heading(page)).to_have_text("Välkommen till portalen")
    expect(page.get_by_role("main")).to_contain_text(INVITEE_EMAIL)
    assert_accessible(page)

    fill_by_keyboard(page, page.get_by_label("Välj lösenord"), INVITEE_PASSWORD)
    fill_by_keyboard(page, page.get_by_label("Upprepa lösenordet"), INVITEE_PASSWORD)
    press_button(page, page.get_by_role("button", name="Spara lösenord"))
    expect(heading(page)).to_have_text("Min profil")
    expect(page.get_by_role("status")).to_contain_text("Välkommen! Ditt konto är klart.")

    press_button(page, page.get_by_role("button", name="Logga ut", exact=True))
    expect(heading(page)).to_have_text("Logga in")
    expect(page.get_by_role("status")).to_contain_text("Du är utloggad.")
    log_in(page, INVITEE_EMAIL, INVITEE_PASSWORD)
    expect(heading(page)).to_have_text(f"Välkommen, {INVITEE_NAME}")

    press_button(page, page.get_by_role("link", name="Min profil"))
    expect(heading(page)).to_have_text("Min profil")
    expect(page.get_by_role("main")).to_contain_text("Kramfors bibliotek")
    expect(page.get_by_role("main")).to_contain_text("Kommunbibliotekarie")
    assert_accessible(page)

    fill_by_keyboard(page, page.get_by_label("Titel"), "Barnbibliotekarie")
    fill_by_keyboard(page, page.get_by_label("Telefon"), "0612-800 00")
    press_button(page, page.get_by_role("button", name="Spara profil"))
    expect(page.get_by_role("status")).to_contain_text("Profilen är sparad.")
    expect(page.get_by_label("Titel")).to_have_value("Barnbibliotekarie")
    expect(page.get_by_label("Telefon")).to_have_value("0612-800 00")
    assert_accessible(page)
    invitee.close()

    with live_server.app.app_context():
        librarian = db.session.scalar(select(User).where(User.email == INVITEE_EMAIL))
        assert (librarian.organisation.name, librarian.role) == ("Kramfors bibliotek", "member")
        assert (librarian.title, librarian.phone) == ("Barnbibliotekarie", "0612-800 00")
