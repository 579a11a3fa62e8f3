"""A librarian in Ånge searches the portal from the header by keyboard and finds the Bokstart
news item and the project; axe-core checks the search page."""

import pytest
from playwright.sync_api import expect

from portal.accounts.models import Organisation
from portal.extensions import db
from tests.browser.keyboard import (
    assert_accessible,
    fill_by_keyboard,
    heading,
    log_in,
    press_button,
)
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser

ANGE_LIBRARIAN = "bibliotekarie@ange.example"


def test_a_librarian_in_ange_finds_news_and_project_by_keyboard(live_server, chromium):
    with live_server.app.app_context():
        ange = db.session.query(Organisation).filter_by(name="Ånge bibliotek").one()
        make_user(email=ANGE_LIBRARIAN, name="Sara Lindqvist", organisation=ange)
        db.session.remove()
    context = chromium.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    page = context.new_page()
    page.goto(live_server.url + "/")
    log_in(page, ANGE_LIBRARIAN, PASSWORD)

    search_box = page.get_by_role("search", name="Sök i portalen").get_by_label("Sök")
    fill_by_keyboard(page, search_box, "läsfrämjande barn")
    page.keyboard.press("Enter")

    expect(heading(page)).to_have_text("Sök")
    main = page.get_by_role("main")
    expect(main.get_by_role("status").last).to_contain_text("träffar för ”läsfrämjande barn”")
    news_link = main.get_by_role("link", name="Bokstart till Västernorrland!")
    project_link = main.get_by_role("link", name="Bokstart Västernorrland", exact=True)
    expect(news_link).to_be_visible()
    expect(project_link).to_be_visible()
    expect(main.locator("mark", has_text="läsfrämjandet").first).to_be_visible()
    expect(search_box).to_have_value("läsfrämjande barn")
    assert_accessible(page)

    press_button(page, news_link, 60)
    expect(heading(page)).to_have_text("Bokstart till Västernorrland!")
    context.close()
