"""A librarian in Ånge searches the portal from the header by keyboard and finds the Bokstart
news item, the project and the regional library plan by the words of its PDF, but never the
document kept for Bokstart's team, which Ånge is not part of; axe-core checks the search page."""

import pytest
from playwright.sync_api import expect

from portal.accounts.models import Organisation, User
from portal.documents import tasks
from portal.documents.models import DocumentVersion
from portal.extensions import db
from portal.projects.models import Project
from tests.browser.keyboard import (
    assert_accessible,
    fill_by_keyboard,
    heading,
    log_in,
    press_button,
)
from tests.documents.factories import PLAN_TEXT, make_document, plan_pdf
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser

ANGE_LIBRARIAN = "bibliotekarie@ange.example"
STAFF = "personal@lansbiblioteket.example"
TEAM_ONLY = "Bokstarts interna budget"


def file_documents() -> int:
    """Staff upload the regional library plan for everyone, and a budget that only Bokstart
    Västernorrland's team and participants (Ånge is not among them) may read, both PDFs that
    say "läsfrämjande för barn"; the extraction task reads their text. Returns the plan's id."""
    staff = db.session.query(User).filter_by(email=STAFF).one()
    bokstart = db.session.query(Project).filter_by(slug="bokstart-vasternorrland").one()
    plan = make_document(staff, PLAN_TEXT, plan_pdf(PLAN_TEXT, "Läsfrämjande för barn och unga"))
    budget = make_document(
        staff,
        TEAM_ONLY,
        plan_pdf("Läsfrämjande för barn: hemliga belopp"),
        project_id=bokstart.id,
        visibility="project",
    )
    for document in (plan, budget):
        tasks.extract_text(document.current.id)
        text = db.session.get(DocumentVersion, document.current.id).extracted_text
        assert "Läsfrämjande för barn" in text
    return plan.id


def test_a_librarian_in_ange_finds_news_project_and_pdf_by_keyboard(live_server, chromium):
    with live_server.app.app_context():
        ange = db.session.query(Organisation).filter_by(name="Ånge bibliotek").one()
        make_user(email=ANGE_LIBRARIAN, name="Sara Lindqvist", organisation=ange)
        plan_id = file_documents()
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
    plan_link = main.get_by_role("link", name=PLAN_TEXT)
    expect(news_link).to_be_visible()
    expect(project_link).to_be_visible()
    expect(plan_link).to_be_visible()
    expect(plan_link).to_have_attribute("href", f"/dokument/{plan_id}")
    plan_result = main.get_by_role("listitem").filter(has=page.get_by_role("link", name=PLAN_TEXT))
    expect(plan_result).to_contain_text("Dokument")
    expect(plan_result.locator("mark", has_text="Läsfrämjande")).to_be_visible()
    expect(main.locator("mark", has_text="läsfrämjandet").first).to_be_visible()
    expect(main).not_to_contain_text(TEAM_ONLY)
    expect(main).not_to_contain_text("hemliga belopp")
    expect(search_box).to_have_value("läsfrämjande barn")
    assert_accessible(page)

    press_button(page, plan_link, 80)
    expect(heading(page)).to_have_text(PLAN_TEXT)
    page.go_back()
    press_button(page, main.get_by_role("link", name="Bokstart till Västernorrland!"), 80)
    expect(heading(page)).to_have_text("Bokstart till Västernorrland!")
    context.close()
