"""Staff write a news item by keyboard; a Kramfors librarian reads and comments on it.
axe-core checks the news form, the news page and the news list."""

import re

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

TITLE = "Sagostunder på arabiska i Kramfors"
BODY = "Från januari läser vi sagor på **arabiska** varje lördag."


def test_staff_publish_news_by_keyboard_and_a_librarian_reads_it(live_server, chromium):
    context = chromium.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    page = context.new_page()
    page.goto(live_server.url + "/nyheter")
    log_in(page, "personal@lansbiblioteket.example", "demo-personal-hoga-kusten")
    expect(heading(page)).to_have_text("Nyheter")

    press_button(page, page.get_by_role("link", name="Skriv en nyhet"))
    expect(heading(page)).to_have_text("Skriv en nyhet")
    assert_accessible(page)
    fill_by_keyboard(page, page.get_by_label("Rubrik"), TITLE)
    fill_by_keyboard(page, page.get_by_label("Text"), BODY)
    status = page.get_by_label("Publicering")
    tab_to(page, status)
    page.keyboard.type("Publicerad")
    expect(status.locator("option:checked")).to_have_text("Publicerad")
    press_button(page, page.get_by_role("button", name="Spara nyheten"), 60)

    expect(heading(page)).to_have_text(TITLE)
    expect(page.get_by_role("main").locator("strong", has_text="arabiska")).to_be_visible()
    assert_accessible(page)
    press_button(page, page.get_by_role("button", name="Logga ut", exact=True), 60)

    log_in(page, "bibliotekarie@kramfors.example", "demo-bibliotekarie-hoga-kusten")
    menu = page.get_by_role("navigation", name="Huvudmeny")
    press_button(page, menu.get_by_role("link", name="Nyheter", exact=True))
    expect(heading(page)).to_have_text("Nyheter")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text("Anmälan till Littfest öppnar")
    assert_accessible(page)

    press_button(page, page.get_by_role("link", name=TITLE), 60)
    fill_by_keyboard(page, page.get_by_label("Din kommentar"), "Vi kommer med fem barn!")
    press_button(page, page.get_by_role("button", name="Skicka kommentaren"))
    expect(page.get_by_role("status")).to_contain_text("Kommentaren är publicerad.")
    comments = page.get_by_role("region", name="Kommentarer")
    expect(comments).to_contain_text("Karin Holm")
    expect(comments).to_contain_text("Vi kommer med fem barn!")
    assert_accessible(page)

    page.goto(live_server.url + "/nyheter")
    press_button(page, page.get_by_role("link", name="Läs nyheterna i en flödesläsare (Atom)"), 60)
    press_button(page, page.get_by_role("button", name="Skapa en ny flödesadress"), 60)
    address = page.get_by_label("Din nya flödesadress (visas bara nu)")
    expect(address).to_have_value(re.compile(r"/nyheter/flode/.+\.xml$"))
    assert_accessible(page)
    context.close()
