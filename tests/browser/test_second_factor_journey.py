"""A new staff member's first login: held at enrolment after the password, she turns on an
authenticator app by keyboard (a wrong code first), keeps her recovery codes, reaches the
portal, and logs in next time with the app's code; axe-core checks every page on the way."""

import re

import pyotp
import pytest
from playwright.sync_api import expect

from portal.accounts.mfa.services import current_step
from tests.browser.keyboard import (
    assert_accessible,
    fill_by_keyboard,
    heading,
    log_in,
    press_button,
)
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser

EMAIL = "ny.personal@lansbiblioteket.example"


def test_new_staff_member_turns_on_an_app_and_logs_in_with_its_code(live_server, chromium):
    with live_server.app.app_context():
        make_user(role="staff", email=EMAIL, name="Nils Berg")
    context = chromium.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    page = context.new_page()
    page.goto(live_server.url + "/projekt")
    log_in(page, EMAIL, PASSWORD)

    expect(heading(page)).to_have_text("Tvåstegsverifiering")
    expect(page.get_by_role("main")).to_contain_text("Din roll kräver tvåstegsverifiering.")
    expect(page.get_by_role("navigation", name="Huvudmeny")).to_have_count(0)
    assert_accessible(page)
    page.goto(live_server.url + "/projekt")
    expect(heading(page)).to_have_text("Tvåstegsverifiering")

    press_button(page, page.get_by_role("button", name="Slå på tvåstegsverifiering med app"))
    expect(page.get_by_role("img", name="QR-kod för appen för tvåstegsverifiering")).to_be_visible()
    assert_accessible(page)
    key = re.sub(r"\s", "", page.locator("#totp-secret").inner_text())

    code = page.get_by_label("Kod från appen")
    fill_by_keyboard(page, code, "000000")
    press_button(page, page.get_by_role("button", name="Slå på tvåstegsverifiering"))
    expect(code).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#code-error")).to_contain_text("Koden stämmer inte.")
    assert_accessible(page)

    step = current_step()
    fill_by_keyboard(page, code, pyotp.TOTP(key).generate_otp(step))
    press_button(page, page.get_by_role("button", name="Slå på tvåstegsverifiering"))
    expect(heading(page)).to_have_text("Dina reservkoder")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    assert_accessible(page)
    press_button(page, page.get_by_role("link", name="Jag har sparat koderna, fortsätt"))
    expect(heading(page)).to_have_text("Välkommen, Nils Berg")

    press_button(page, page.get_by_role("button", name="Logga ut", exact=True), 80)
    expect(heading(page)).to_have_text("Logga in")
    fill_by_keyboard(page, page.get_by_label("E-postadress"), EMAIL)
    fill_by_keyboard(page, page.get_by_label("Lösenord", exact=True), PASSWORD)
    press_button(page, page.get_by_role("button", name="Logga in", exact=True))
    expect(heading(page)).to_have_text("Tvåstegsverifiering")
    assert_accessible(page)
    # The step that turned the app on is used; the app's next code is taken.
    fill_by_keyboard(
        page, page.get_by_label("Kod", exact=True), pyotp.TOTP(key).generate_otp(step + 1)
    )
    press_button(page, page.get_by_role("button", name="Fortsätt"))
    expect(heading(page)).to_have_text("Välkommen, Nils Berg")
    context.close()
