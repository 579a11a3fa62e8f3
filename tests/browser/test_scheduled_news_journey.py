"""The issue's story by keyboard: a librarian asks for news at once; staff schedule a tagged
news item for 08:00 tomorrow; at 08:00 beat publishes it, the librarian finds it and its email,
and turns news email off with one click from that email, without logging in."""

import email
import email.policy
from datetime import datetime, time, timedelta

import pytest
from playwright.sync_api import expect

from portal.core.dates import STOCKHOLM, utcnow
from portal.extensions import db
from portal.news import announce, services
from tests.browser.keyboard import (
    assert_accessible,
    fill_by_keyboard,
    heading,
    log_in,
    press_button,
    tab_to,
)

pytestmark = pytest.mark.browser

TITLE = "Bokstart växer: nu även i Ånge och Timrå"
BODY = "Från februari får **alla nyfödda** i Ånge och Timrå en bokpåse."
LIBRARIAN = "bibliotekarie@kramfors.example"


def eight_tomorrow() -> datetime:
    tomorrow = utcnow().astimezone(STOCKHOLM).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(8, 0), STOCKHOLM)


def run_beat_at(app, moment: datetime) -> list[int]:
    """What beat's news task does when the clock reaches `moment`."""
    with app.app_context():
        published = services.publish_due_news(moment)
        announce.announce_after_commit(published)
        db.session.commit()
        db.session.remove()
    return published


def emails_to(outbox, address: str) -> list[email.message.EmailMessage]:
    messages = [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(outbox.glob("*.eml"))
    ]
    return [message for message in messages if message["To"] == address]


def test_scheduled_news_reaches_a_librarian_at_eight_and_one_click_stops_it(live_server, chromium):
    context = chromium.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    page = context.new_page()
    page.goto(live_server.url + "/profil")
    log_in(page, LIBRARIAN, "demo-bibliotekarie-hoga-kusten")
    press_button(page, page.get_by_role("link", name="Välj hur ofta du får mejl"), 60)
    expect(heading(page)).to_have_text("E-post från portalen")
    assert_accessible(page)
    news = page.get_by_role("group", name="Nyheter")
    tab_to(page, news.get_by_label("I en daglig sammanfattning (förval)"), 60)
    page.keyboard.press("ArrowUp")
    expect(news.get_by_label("Direkt, ett mejl per händelse")).to_be_checked()
    press_button(page, page.get_by_role("button", name="Spara inställningarna"), 60)
    expect(page.get_by_role("status")).to_contain_text("Dina inställningar för e-post är sparade.")
    press_button(page, page.get_by_role("button", name="Logga ut", exact=True), 60)

    log_in(page, "personal@lansbiblioteket.example", "demo-personal-hoga-kusten")
    expect(heading(page)).not_to_have_text("Logga in")
    page.goto(live_server.url + "/nyheter/ny")
    expect(heading(page)).to_have_text("Skriv en nyhet")
    fill_by_keyboard(page, page.get_by_label("Rubrik"), TITLE)
    fill_by_keyboard(page, page.get_by_label("Text"), BODY)
    status = page.get_by_label("Publicering")
    tab_to(page, status)
    page.keyboard.type("Schemalagd")
    expect(status.locator("option:checked")).to_have_text("Schemalagd")
    fill_by_keyboard(page, page.get_by_label("Publiceras"), f"{eight_tomorrow():%Y-%m-%d %H:%M}")
    goal_areas = page.get_by_label("Målområden")
    tab_to(page, goal_areas)
    page.keyboard.press("End")
    expect(goal_areas.locator("option:checked")).to_have_text(
        "Regional biblioteksplan 2015–2017 – Litteratur och läsfrämjande"
    )
    projects = page.get_by_label("Projekt", exact=True)
    tab_to(page, projects)
    page.keyboard.type("Bokstart i hela")
    expect(projects.locator("option:checked")).to_have_text("Bokstart i hela länet")
    press_button(page, page.get_by_role("button", name="Spara nyheten"), 60)
    expect(heading(page)).to_have_text(TITLE)
    press_button(page, page.get_by_role("button", name="Logga ut", exact=True), 60)

    log_in(page, LIBRARIAN, "demo-bibliotekarie-hoga-kusten")
    expect(heading(page)).not_to_have_text("Logga in")
    page.goto(live_server.url + "/nyheter")
    expect(page.get_by_role("main")).not_to_contain_text(TITLE)
    assert emails_to(live_server.outbox, LIBRARIAN) == []

    assert run_beat_at(live_server.app, eight_tomorrow() - timedelta(minutes=1)) == []
    assert run_beat_at(live_server.app, eight_tomorrow())  # ours and the demo's Littfest item

    page.reload()
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    (message,) = [
        m for m in emails_to(live_server.outbox, LIBRARIAN) if m["Subject"] == f"Nyhet: {TITLE}"
    ]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = message["List-Unsubscribe"].strip("<>")
    assert "alla nyfödda" in message.get_body(("plain",)).get_content()
    context.close()

    stranger = chromium.new_context(locale="sv-SE").new_page()
    stranger.goto(unsubscribe)
    expect(heading(stranger)).to_have_text("Avsluta mejl")
    assert_accessible(stranger)
    press_button(stranger, stranger.get_by_role("button", name="Ja, stäng av mejlen"), 60)
    expect(heading(stranger)).to_have_text("Mejlen är avstängda")
    expect(stranger.get_by_role("main")).to_contain_text("Nyheter")
    assert_accessible(stranger)
