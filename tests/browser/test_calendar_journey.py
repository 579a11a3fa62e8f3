"""Staff add an event to the calendar by keyboard; a Kramfors librarian finds it in her months
and takes the calendar to her own calendar program. axe-core checks the calendar page, the event
form (empty and with an error), the event page and the feed settings."""

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from tests.browser.keyboard import (
    assert_accessible,
    fill_by_keyboard,
    heading,
    log_in,
    press_button,
)

pytestmark = pytest.mark.browser

TITLE = "Bokcirkelträff i Sollefteå"


def test_staff_add_an_event_by_keyboard_and_a_librarian_finds_it(live_server, chromium):
    day = date.today() + timedelta(days=10)
    context = chromium.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    page = context.new_page()
    page.goto(live_server.url + "/kalender")
    log_in(page, "personal@lansbiblioteket.example", "demo-personal-hoga-kusten")
    expect(heading(page)).to_have_text("Kalender")
    expect(page.get_by_role("main")).to_contain_text("Littfest i Umeå")
    assert_accessible(page)

    press_button(page, page.get_by_role("link", name="Lägg till en händelse"))
    expect(heading(page)).to_have_text("Lägg till en händelse")
    assert_accessible(page)
    fill_by_keyboard(page, page.get_by_label("Rubrik"), TITLE)
    fill_by_keyboard(page, page.get_by_label("Börjar"), f"{day:%Y-%m-%d} 13:00")
    fill_by_keyboard(page, page.get_by_label("Slutar"), f"{day:%Y-%m-%d} 12:00")
    fill_by_keyboard(page, page.get_by_label("Plats"), "Sollefteå bibliotek")
    fill_by_keyboard(page, page.get_by_label("Beskrivning"), "Vi läser **Kerstin Ekman**.")
    press_button(page, page.get_by_role("button", name="Spara händelsen"), 60)

    expect(page.get_by_text("Slutet kan inte ligga före början.")).to_be_visible()
    expect(page.get_by_label("Rubrik")).to_have_value(TITLE)
    assert_accessible(page)
    fill_by_keyboard(page, page.get_by_label("Slutar"), f"{day:%Y-%m-%d} 15:30")
    press_button(page, page.get_by_role("button", name="Spara händelsen"), 60)

    expect(heading(page)).to_have_text(TITLE)
    expect(page.get_by_role("main")).to_contain_text(f"{day:%Y-%m-%d} 13:00–15:30")
    expect(page.get_by_role("main").locator("strong", has_text="Kerstin Ekman")).to_be_visible()
    assert_accessible(page)
    press_button(page, page.get_by_role("button", name="Logga ut", exact=True), 60)

    log_in(page, "bibliotekarie@kramfors.example", "demo-bibliotekarie-hoga-kusten")
    menu = page.get_by_role("navigation", name="Huvudmeny")
    press_button(page, menu.get_by_role("link", name="Kalender", exact=True))
    expect(heading(page)).to_have_text("Kalender")
    month = page.get_by_role("region", name=re.compile(f"{day:%Y}$")).filter(has_text=TITLE)
    expect(month.get_by_role("link", name=TITLE)).to_be_visible()
    assert_accessible(page)

    press_button(page, page.get_by_role("link", name="Se kalendern i ditt kalenderprogram (iCal)"))
    press_button(page, page.get_by_role("button", name="Skapa en ny flödesadress"), 60)
    address = page.get_by_label("Din nya flödesadress (visas bara nu)")
    expect(address).to_have_value(re.compile(r"/kalender/flode/.+\.ics$"))
    assert_accessible(page)
    feed = context.request.get(live_server.url + urlsplit(address.input_value()).path)
    summaries = {str(entry["SUMMARY"]) for entry in Calendar.from_ical(feed.body()).walk("VEVENT")}
    assert {TITLE, "Littfest i Umeå"} <= summaries
    context.close()
