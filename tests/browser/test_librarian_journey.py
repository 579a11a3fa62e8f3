"""The Kramfors librarian's journey through the projects, by keyboard, checked by axe-core.

Karin Holm at Kramfors bibliotek logs in, finds Bokstart Västernorrland on the dashboard, looks
at the goal area Litteratur och läsfrämjande, the project page and the project list, then posts a
progress update with this month's number of families reached in Kramfors; the project lead gets
an email that links back to the update.
"""

import email
import email.policy

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.extensions import db
from portal.projects.models import Project
from tests.browser.keyboard import (
    assert_accessible,
    fill_by_keyboard,
    heading,
    log_in,
    press_button,
    tab_to,
)

pytestmark = pytest.mark.browser

LIBRARIAN_EMAIL = "bibliotekarie@kramfors.example"
LIBRARIAN_PASSWORD = "demo-bibliotekarie-hoga-kusten"
PROJECT = "Bokstart i hela länet"
SLUG = "bokstart-i-hela-lanet"
GOAL_AREA = "Litteratur och läsfrämjande"
UPDATE_TEXT = "Tolv nya familjer fick bokpaket på BVC i Kramfors i dag."

# The dashboard and the project list have many links and fields before the one Karin wants.
LONG_PAGE_TABS = 120


def emails_to(server, address: str) -> list[email.message.EmailMessage]:
    messages = [
        email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
        for eml in sorted(server.outbox.glob("*.eml"))
    ]
    return [message for message in messages if message["To"] == address]


def project_link(page: Page):
    return page.get_by_role("main").get_by_role("link", name=PROJECT, exact=True).first


def test_kramfors_librarian_finds_bokstart_and_posts_an_update_by_keyboard(live_server, chromium):
    with live_server.app.app_context():
        lead_email = db.session.scalar(select(Project).where(Project.slug == SLUG)).lead.email
    context = chromium.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    page = context.new_page()

    page.goto(live_server.url + "/")
    expect(heading(page)).to_have_text("Logga in")
    log_in(page, LIBRARIAN_EMAIL, LIBRARIAN_PASSWORD)
    expect(heading(page)).to_have_text("Välkommen, Karin Holm")
    my_projects = page.get_by_role("region", name="Projekt som du leder")
    expect(my_projects.get_by_role("link", name=PROJECT, exact=True)).to_be_visible()
    assert_accessible(page)

    press_button(page, page.get_by_role("link", name=GOAL_AREA, exact=True), LONG_PAGE_TABS)
    expect(heading(page)).to_have_text(GOAL_AREA)
    expect(page.get_by_role("main")).to_contain_text(PROJECT)
    assert_accessible(page)

    press_button(page, project_link(page), LONG_PAGE_TABS)
    expect(heading(page)).to_have_text(PROJECT)
    expect(page.get_by_role("main")).to_contain_text(GOAL_AREA)
    assert_accessible(page)

    menu = page.get_by_role("navigation", name="Huvudmeny")
    press_button(page, menu.get_by_role("link", name="Projekt", exact=True))
    expect(heading(page)).to_have_text("Projekt")
    assert_accessible(page)

    press_button(page, project_link(page), LONG_PAGE_TABS)
    expect(heading(page)).to_have_text(PROJECT)

    press_button(page, page.get_by_role("link", name="Uppdateringar", exact=True))
    expect(page.get_by_role("heading", name="Ny uppdatering")).to_be_visible()

    text = page.get_by_label("Vad har hänt?")
    tab_to(page, text, LONG_PAGE_TABS)
    page.keyboard.type(UPDATE_TEXT)
    municipality = page.get_by_label("Kommun")
    tab_to(page, municipality)
    page.keyboard.type("Kramfors")
    expect(municipality.locator("option:checked")).to_have_text("Kramfors")
    fill_by_keyboard(page, page.get_by_label("Familjer som nåtts"), "35")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Uppdateringen är publicerad.")
    update = page.locator("article.update", has_text=UPDATE_TEXT)
    expect(update.get_by_role("heading")).to_contain_text("Karin Holm · Kramfors")
    expect(update).to_contain_text("Familjer som nåtts: 35 familjer")
    context.close()

    (message,) = emails_to(live_server, lead_email)
    assert message["Subject"] == f"Ny uppdatering i {PROJECT}"
    text = message.get_body(("plain",)).get_content()
    assert f"{live_server.url}/projekt/{SLUG}/uppdateringar#uppdatering-" in text
    assert not emails_to(live_server, LIBRARIAN_EMAIL)
