"""Someone who is not logged in finds the accessibility statement from the login page's footer,
reports a barrier by keyboard and is thanked; the county library gets the email, and an admin
marks the report handled. axe-core checks the statement, the form (empty and with its errors),
the admins' list and the statement's editor."""

import email
import email.policy

import pytest
from playwright.sync_api import expect

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
# The demo's county library's contact address (regions/vasternorrland.toml).
COUNTY_LIBRARY = "lansbiblioteket@lansbiblioteket.example"
LONG_PAGE_TABS = 80


def test_stranger_reports_a_barrier_by_keyboard_and_an_admin_marks_it_handled(
    live_server, chromium
):
    stranger = chromium.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    page = stranger.new_page()
    page.goto(live_server.url + "/")
    expect(heading(page)).to_have_text("Logga in")

    footer = page.get_by_role("contentinfo")
    press_button(page, footer.get_by_role("link", name="Tillgänglighetsredogörelse"))
    expect(heading(page)).to_have_text("Tillgänglighet för Länsbibliotekets portal")
    expect(page.get_by_role("heading", name="Tillsyn", level=2)).to_be_visible()
    expect(page.get_by_role("link", name="https://www.digg.se/tdosanmalan")).to_be_visible()
    expect(page.get_by_text("Länsbiblioteket Västernorrland står bakom")).to_be_visible()
    assert_accessible(page)

    main = page.get_by_role("main")
    press_button(page, main.get_by_role("link", name="Rapportera en brist"), LONG_PAGE_TABS)
    expect(heading(page)).to_have_text("Rapportera en brist")
    expect(page.get_by_label("Vilken sida eller vilket dokument gäller det?")).to_have_value(
        "/tillganglighet"
    )
    assert_accessible(page)

    fill_by_keyboard(page, page.get_by_label("Vilken sida eller vilket dokument gäller det?"), "/")
    press_button(page, page.get_by_role("button", name="Skicka"))
    description = page.get_by_label("Beskriv problemet")
    expect(description).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Beskriv problemet eller vad du behöver.")).to_be_visible()
    assert_accessible(page)

    fill_by_keyboard(page, description, "Inloggningsknappen går inte att nå med tangentbordet.")
    fill_by_keyboard(
        page, page.get_by_label("Din e-postadress (valfritt)"), "ola@solleftea.example"
    )
    press_button(page, page.get_by_role("button", name="Skicka"))
    expect(heading(page)).to_have_text("Tillgänglighet för Länsbibliotekets portal")
    expect(
        page.get_by_text("Tack! Det du skrev har skickats till länsbiblioteket.")
    ).to_be_visible()
    stranger.close()

    (eml,) = sorted(live_server.outbox.glob("*.eml"))
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert message["To"] == COUNTY_LIBRARY
    assert message["Reply-To"] == "ola@solleftea.example"
    assert "Inloggningsknappen går inte att nå" in message.get_body(("plain",)).get_content()

    admin = chromium.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    page = admin.new_page()
    page.goto(live_server.url + "/")
    log_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    menu = page.get_by_role("navigation", name="Huvudmeny")
    press_button(page, menu.get_by_role("link", name="Tillgänglighet"), 120)
    expect(heading(page)).to_have_text("Rapporterade brister")
    report = page.get_by_role("article", name="/")
    expect(report.get_by_text("Inloggningsknappen går inte att nå")).to_be_visible()
    assert_accessible(page)

    press_button(page, report.get_by_role("button", name="Markera som hanterad"), LONG_PAGE_TABS)
    expect(page.get_by_text("Rapporten är markerad som hanterad.")).to_be_visible()
    expect(page.get_by_role("article", name="/").get_by_text("Hanterad")).to_be_visible()
    assert_accessible(page)

    tab_to(page, page.get_by_role("link", name="Ändra redogörelsen"), LONG_PAGE_TABS)
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Ändra tillgänglighetsredogörelsen")
    assert_accessible(page)
    admin.close()
