"""Keyboard and axe-core helpers shared by the browser journeys.

Nothing is clicked: focus moves with Tab, text is typed, Enter submits, every element reached
must show the portal's focus ring, and axe-core checks the pages a person lands on.
"""

from urllib.parse import urlsplit

import pyotp
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page

from portal.demo.accounts import demo_users
from tests.factories import TOTP_SECRET

AXE = Axe()
MAX_TABS = 40
SECOND_STEP = "/logga-in/kod"


def assert_accessible(page: Page) -> None:
    """axe-core, every rule it runs by default (WCAG A/AA and best practices), no violations."""
    results = AXE.run(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def tab_to(page: Page, target: Locator, max_tabs: int = MAX_TABS) -> None:
    """Press Tab until the target has focus; fail if the tab order never reaches it."""
    handle = target.element_handle()
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        if page.evaluate("element => document.activeElement === element", handle):
            assert_focus_visible(page)
            return
    raise AssertionError(f"{max_tabs} presses of Tab on {page.url} never reached {target}")


def assert_focus_visible(page: Page) -> None:
    """The portal's own focus ring, not the browser's thin default (1px, style `auto`)."""
    ring = page.evaluate(
        """() => {
            const style = getComputedStyle(document.activeElement);
            return {outline: style.outlineStyle, width: parseFloat(style.outlineWidth)};
        }"""
    )
    assert ring["outline"] != "none" and ring["width"] >= 2, f"no visible focus ring: {ring}"


def fill_by_keyboard(page: Page, target: Locator, text: str) -> None:
    tab_to(page, target)
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text)


def press_button(page: Page, button: Locator, max_tabs: int = MAX_TABS) -> None:
    tab_to(page, button, max_tabs)
    page.keyboard.press("Enter")


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def log_in(page: Page, address: str, password: str, key: str | None = None) -> None:
    """Both steps of the login by keyboard: the password, then, for an account with an
    authenticator app, its code (the demo account's key, else the tests' `TOTP_SECRET`)."""
    fill_by_keyboard(page, page.get_by_label("E-postadress"), address)
    fill_by_keyboard(page, page.get_by_label("Lösenord", exact=True), password)
    with page.expect_navigation():
        press_button(page, page.get_by_role("button", name="Logga in", exact=True))
    if urlsplit(page.url).path != SECOND_STEP:
        return
    assert_accessible(page)
    fill_by_keyboard(page, page.get_by_label("Kod", exact=True), current_code(address, key))
    press_button(page, page.get_by_role("button", name="Fortsätt"))


def current_code(address: str, key: str | None = None) -> str:
    demo_keys = {user["email"]: user.get("totp_secret") for user in demo_users()}
    return pyotp.TOTP(key or demo_keys.get(address) or TOTP_SECRET).now()
