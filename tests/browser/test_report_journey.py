"""Staff draft Kulturrådet's progress report for Bokstart (first half of 2016) from the grant on
the economy tab, rewrite a section, preview it and ask for review; a colleague approves it; staff
send it, and Kulturrådet's contact gets the email with the PDF at a real SMTP server. All by
keyboard; axe-core checks the editor, the preview, the send form and the archive."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.extensions import db
from portal.reports.models import Report
from proof.mailserver import running_smtp_server
from tests.browser.conftest import serve_portal
from tests.browser.keyboard import (
    assert_accessible,
    fill_by_keyboard,
    log_in,
    press_button,
    tab_to,
)
from tests.factories import PASSWORD, give_totp, make_user
from tests.pdfs import pdf_text

pytestmark = pytest.mark.browser

SLUG = "bokstart-vasternorrland"
CHANGES = "Sollefteå kom med ett halvår senare än planerat; budgeten är oförändrad."
HANDLAGGARE = "maria.lindqvist@kulturradet.example.org"


@pytest.fixture
def portal_with_smtp(tmp_path):
    """The live portal sending its email at once to an aiosmtpd server on loopback."""
    with running_smtp_server() as smtp:
        config = {
            "MAIL_BACKEND": "smtp",
            "MAIL_SERVER": smtp.host,
            "MAIL_PORT": smtp.port,
            "MAIL_USE_TLS": False,
            "MAIL_USERNAME": None,
        }
        with serve_portal(tmp_path, **config) as server:
            yield server, smtp


def test_staff_draft_review_approve_and_send_a_kulturradet_report(portal_with_smtp, chromium):
    live_server, smtp = portal_with_smtp
    with live_server.app.app_context():
        give_totp(
            make_user(
                role="staff", email="bo.granskare@lansbiblioteket.example", name="Bo Granskare"
            )
        )

    context = chromium.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    page = context.new_page()
    page.goto(f"{live_server.url}/projekt/{SLUG}/ekonomi")
    log_in(page, "personal@lansbiblioteket.example", "demo-personal-hoga-kusten")
    press_button(page, page.get_by_role("link", name="Ny rapport"), 200)

    expect(page.get_by_role("heading", level=2)).to_have_text("Ny rapport")
    expect(page.get_by_label("Mall").locator("option:checked")).to_have_text("Kulturrådet")
    fill_by_keyboard(page, page.get_by_label("Perioden börjar"), "2016-01-01")
    fill_by_keyboard(page, page.get_by_label("Perioden slutar"), "2016-06-30")
    press_button(page, page.get_by_role("button", name="Skapa utkast"))

    expect(page.get_by_role("status")).to_contain_text("Utkastet är skapat.")
    expect(page.locator("#report-state")).to_have_text("Utkast")
    report_url = page.url
    assert re.search(rf"/projekt/{SLUG}/rapporter/\d+$", report_url)
    assert_accessible(page)

    changes = page.get_by_role("textbox", name="Förändringar jämfört med ansökan")
    tab_to(page, changes, 200)
    page.keyboard.type(CHANGES)
    press_button(page, page.get_by_role("button", name="Spara", exact=True))
    expect(page.get_by_role("status")).to_contain_text("Rapporten är sparad.")
    expect(page.get_by_role("textbox", name="Förändringar jämfört med ansökan")).to_have_value(
        CHANGES
    )

    press_button(page, page.get_by_role("link", name="Förhandsvisa rapporten"), 200)
    expect(page).to_have_title(re.compile("Bokstart Västernorrland – Lägesrapport 2016-01-01"))
    expect(page.get_by_role("main")).to_contain_text(CHANGES)
    expect(page.locator("body")).to_contain_text("KUR 2015/1234")
    assert_accessible(page)
    page.go_back()

    press_button(page, page.get_by_role("button", name="Skicka till granskning"), 200)
    expect(page.get_by_role("status")).to_contain_text("Rapporten är skickad till granskning.")
    expect(page.locator("#report-state")).to_have_text("Granskas")

    colleague = chromium.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    review = colleague.new_page()
    review.goto(report_url)
    log_in(review, "bo.granskare@lansbiblioteket.example", PASSWORD)
    expect(review.locator("#report-state")).to_have_text("Granskas")
    press_button(review, review.get_by_role("button", name="Godkänn"), 200)
    expect(review.get_by_role("status")).to_contain_text("Rapporten är godkänd.")
    expect(review.locator("#report-state")).to_have_text("Godkänd")
    colleague.close()

    page.goto(report_url)
    expect(page.locator("#report-state")).to_have_text("Godkänd")
    send_section = page.get_by_role("region", name="Skicka till finansiären")
    expect(send_section).to_contain_text(HANDLAGGARE)
    assert_accessible(page)
    press_button(page, page.get_by_role("button", name="Skicka till finansiären"), 300)
    expect(page.get_by_role("status")).to_contain_text("Rapporten är skickad till")
    expect(page.locator("#report-state")).to_have_text("Skickad")

    press_button(page, page.get_by_role("link", name="Rapporter", exact=True), 200)
    expect(page.get_by_role("heading", level=2)).to_have_text("Rapporter till finansiärer")
    expect(page.get_by_role("main")).to_contain_text("Skickad")
    expect(page.get_by_role("main")).to_contain_text(HANDLAGGARE)
    assert_accessible(page)
    context.close()

    to_funder = [envelope for envelope in smtp.delivered if envelope.rcpt_tos == [HANDLAGGARE]]
    assert len(to_funder) == 1
    message = to_funder[0].message
    assert message["Reply-To"] == "personal@lansbiblioteket.example"
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    text = pdf_text(attachment.get_content())
    assert "Bokstart Västernorrland" in text
    assert "KUR 2015/1234" in text

    with live_server.app.app_context():
        sent = db.session.scalar(select(Report).where(Report.state == "sent"))
        assert sent.approved_by.email == "bo.granskare@lansbiblioteket.example"
        assert sent.review_requested_by.email == "personal@lansbiblioteket.example"
        assert [d.recipient_email for d in sent.deliveries].count(HANDLAGGARE) == 1
        db.session.remove()
