"""Staff send the approved Kulturrådet report for Bokstart to the funder, by keyboard: the report
page lists who will receive it, the button sends it, and the email with the PDF is written.
axe-core checks the page with the send form and the page after sending."""

import email
import email.policy

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.accounts.models import User
from portal.extensions import db
from portal.projects.models import Project
from portal.reports import services
from portal.reports.models import Report
from tests.browser.keyboard import assert_accessible, log_in, press_button
from tests.pdfs import pdf_text

pytestmark = pytest.mark.browser

SLUG = "bokstart-vasternorrland"
HANDLAGGARE = "maria.lindqvist@kulturradet.example.org"


def approve_demo_report(app) -> int:
    """The demo's draft Kulturrådet report for Bokstart, reviewed and approved by two people."""
    with app.app_context():
        report = db.session.scalar(
            select(Report).join(Project).where(Project.slug == SLUG, Report.state == "draft")
        )
        staff = db.session.scalar(
            select(User).where(User.email == "personal@lansbiblioteket.example")
        )
        admin = db.session.scalar(select(User).where(User.email == "admin@lansbiblioteket.example"))
        services.request_review(report, staff)
        services.approve(report, admin)
        db.session.commit()
        report_id = report.id
        db.session.remove()
    return report_id


def test_staff_send_the_approved_report_and_the_funder_gets_the_pdf(live_server, chromium):
    report_id = approve_demo_report(live_server.app)

    context = chromium.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    page = context.new_page()
    page.goto(f"{live_server.url}/projekt/{SLUG}/rapporter/{report_id}")
    log_in(page, "personal@lansbiblioteket.example", "demo-personal-hoga-kusten")

    expect(page.locator("#report-state")).to_have_text("Godkänd")
    send_section = page.get_by_role("region", name="Skicka till finansiären")
    expect(send_section).to_contain_text(HANDLAGGARE)
    assert_accessible(page)

    press_button(page, page.get_by_role("button", name="Skicka till finansiären"), 300)

    expect(page.get_by_role("status")).to_contain_text("Rapporten är skickad till")
    expect(page.locator("#report-state")).to_have_text("Skickad")
    expect(page.get_by_role("main")).to_contain_text(HANDLAGGARE)
    assert_accessible(page)
    context.close()

    messages = [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(live_server.outbox.glob("*.eml"))
    ]
    to_funder = [message for message in messages if message["To"] == HANDLAGGARE]
    assert len(to_funder) == 1
    (attachment,) = list(to_funder[0].iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    text = pdf_text(attachment.get_content())
    assert "Bokstart Västernorrland" in text
    assert "KUR 2015/1234" in text
