"""County library staff open Statistik from the menu by keyboard, choose a year, read the money
per funder as a chart and as a table, and download the table as CSV; axe-core checks the page."""

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal.demo import STAFF
from tests.browser.keyboard import assert_accessible, heading, log_in, press_button, tab_to

pytestmark = pytest.mark.browser

STAFF_PASSWORD = "demo-personal-hoga-kusten"
LONG_PAGE_TABS = 120


def test_staff_filter_statistics_by_year_and_download_a_table(live_server, chromium):
    context = chromium.new_context(
        locale="sv-SE", timezone_id="Europe/Stockholm", accept_downloads=True
    )
    page = context.new_page()
    page.goto(live_server.url + "/")
    log_in(page, STAFF, STAFF_PASSWORD)

    menu = page.get_by_role("navigation", name="Huvudmeny")
    press_button(page, menu.get_by_role("link", name="Statistik"))
    expect(heading(page)).to_have_text("Statistik")
    assert_accessible(page)

    year = page.get_by_label("År", exact=True)
    tab_to(page, year)
    page.keyboard.type("2016")
    expect(year.locator("option:checked")).to_have_text("2016")
    press_button(page, page.get_by_role("button", name="Visa statistik"))
    expect(page).to_have_url(f"{live_server.url}/statistik?plan_period=&year=2016")

    section = page.locator(
        "section", has=page.get_by_role("heading", name="Finansiering per finansiär")
    )
    chart = section.get_by_role("img", name="Finansiering per finansiär")
    expect(chart).to_be_visible()
    expect(chart).to_have_accessible_name(
        "Finansiering per finansiär Mest pengar kom från Kulturrådet: 650 000 kr. "
        "Totalt 1 100 000 kr."
    )
    table = section.get_by_role("table", name="Finansiering per finansiär, 2016")
    expect(table.get_by_role("row", name="Kulturrådet 650 000 kr")).to_be_visible()
    assert_accessible(page)

    link = section.get_by_role("link", name="CSV (finansiering per finansiär)")
    tab_to(page, link, LONG_PAGE_TABS)
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    download = download_info.value
    assert download.suggested_filename == "finansiering-per-finansiar-2016.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[0] == ["Finansiär", "Belopp (kr)"]
    assert ["Kulturrådet", "650000,00"] in rows
    context.close()
