"""Staff make the folder "Styrdokument", upload the regional library plan as a PDF and then a
corrected version, by keyboard; the history keeps both and the PDF's text is extracted for
search. axe-core checks the documents list, the upload form and the document page."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.documents.models import DocumentVersion
from portal.extensions import db
from tests.browser.keyboard import (
    assert_accessible,
    fill_by_keyboard,
    heading,
    log_in,
    press_button,
    tab_to,
)
from tests.documents.factories import PLAN_TEXT, plan_pdf

pytestmark = pytest.mark.browser


def test_staff_file_the_regional_library_plan_and_a_corrected_version(
    live_server, chromium, tmp_path
):
    first = tmp_path / f"{PLAN_TEXT}.pdf"
    first.write_bytes(plan_pdf())
    corrected = tmp_path / f"{PLAN_TEXT} rättad.pdf"
    corrected.write_bytes(plan_pdf(PLAN_TEXT, "Rättad: läsfrämjande för barn och unga"))

    context = chromium.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    page = context.new_page()
    page.goto(live_server.url + "/dokument")
    log_in(page, "personal@lansbiblioteket.example", "demo-personal-hoga-kusten")
    expect(heading(page)).to_have_text("Dokument")
    assert_accessible(page)

    press_button(page, page.get_by_role("link", name="Ny mapp"))
    expect(heading(page)).to_have_text("Ny mapp")
    fill_by_keyboard(page, page.get_by_label("Mappens namn"), "Styrdokument")
    press_button(page, page.get_by_role("button", name="Spara mappen"))
    expect(heading(page)).to_have_text("Styrdokument")
    expect(page.get_by_role("status")).to_contain_text("Mappen är skapad.")

    press_button(page, page.get_by_role("link", name="Ladda upp ett dokument"))
    expect(heading(page)).to_have_text("Ladda upp ett dokument")
    assert_accessible(page)
    file_input = page.get_by_label("Fil", exact=True)
    tab_to(page, file_input)
    file_input.set_input_files(first)
    fill_by_keyboard(page, page.get_by_label("Titel"), PLAN_TEXT)
    fill_by_keyboard(page, page.get_by_label("Diarienummer"), "LBV 2015/3")
    expect(page.get_by_label("Mapp", exact=True).locator("option:checked")).to_have_text(
        "Styrdokument"
    )
    press_button(page, page.get_by_role("button", name="Spara dokumentet"), 60)

    expect(heading(page)).to_have_text(PLAN_TEXT)
    expect(page.get_by_role("status")).to_contain_text("Dokumentet är uppladdat.")
    assert_accessible(page)

    file_input = page.get_by_label("Fil", exact=True)
    tab_to(page, file_input, 80)
    file_input.set_input_files(corrected)
    press_button(page, page.get_by_role("button", name="Ladda upp den nya versionen"))
    expect(page.get_by_role("status")).to_contain_text("En ny version är uppladdad.")
    versions = page.get_by_role("region", name="Versioner").locator("tbody tr")
    expect(versions).to_have_count(2)
    expect(versions.nth(0)).to_contain_text(f"{PLAN_TEXT} rättad.pdf")
    expect(versions.nth(0)).to_contain_text("gällande")
    expect(versions.nth(1)).to_contain_text(f"{PLAN_TEXT}.pdf")
    assert_accessible(page)

    press_button(
        page,
        page.get_by_role("navigation", name="Du är här").get_by_role("link", name="Styrdokument"),
    )
    expect(page.get_by_role("link", name=PLAN_TEXT)).to_be_visible()
    assert_accessible(page)
    context.close()

    with live_server.app.app_context():
        texts = db.session.scalars(
            select(DocumentVersion.extracted_text)
            .join(DocumentVersion.document)
            .order_by(DocumentVersion.number)
            .where(DocumentVersion.filename.like("Regional%"))
        ).all()
        assert len(texts) == 2
        assert PLAN_TEXT in texts[0]
        assert "Rättad: läsfrämjande för barn och unga" in texts[1]
