"""Every page of the demo on a phone, 390 × 844, as each role: the page never scrolls sideways
(wide tables scroll inside their own box) and axe-core finds nothing.

"Every page" is found the way a person finds it: from the start page, every link the role is
shown is followed, one page per route (a project's economy tab stands for every project's), so a
new page is checked as soon as something links to it. Downloads (CSV, Excel, PDF, iCal, feeds,
files) are not pages and are left out. One browser context per role; axe runs once per page.
"""

from collections import deque
from collections.abc import Iterator
from urllib.parse import urldefrag, urlsplit

import pytest
from playwright.sync_api import Error, Page
from werkzeug.exceptions import HTTPException
from werkzeug.routing import MapAdapter

from tests.browser.conftest import LiveServer, serve_portal
from tests.browser.keyboard import AXE, SECOND_STEP, current_code

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LOGINS = {
    "admin": ("admin@lansbiblioteket.example", "demo-admin-hoga-kusten"),
    "staff": ("personal@lansbiblioteket.example", "demo-personal-hoga-kusten"),
    "member": ("bibliotekarie@kramfors.example", "demo-bibliotekarie-hoga-kusten"),
}
# Pages each role must reach, so that a crawl that stops early (a broken menu) cannot pass.
MUST_REACH = {
    "member": {
        "main.index",
        "projects.project_list",
        "projects.project",
        "projects.economy",
        "news.news_list",
        "news.news_item",
        "documents.document_list",
        "documents.document",
        "calendar.calendar_page",
        "accounts.profile",
    },
}
MUST_REACH["staff"] = MUST_REACH["member"] | {
    "projects.funders",
    "statistics.statistics_page",
    "projects.history",
    "reports.archive",
    "reports.show",
    "reports.preview",
}
MUST_REACH["admin"] = MUST_REACH["staff"] | {
    "admin.users",
    "admin.organisations",
    "projects.plan_periods",
    "notifications.index",
    "reports.templates",
}


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory) -> Iterator[LiveServer]:
    """One portal with the demo for the module: the crawl only reads."""
    with serve_portal(tmp_path_factory.mktemp("phone")) as server:
        yield server


def log_in(page: Page, url: str, role: str) -> None:
    address, password = LOGINS[role]
    page.goto(url + "/logga-in")
    page.fill("#email", address)
    page.fill("#password", password)
    page.click("#submit")
    page.wait_for_url(lambda u: not u.endswith("/logga-in"))
    if page.url.endswith(SECOND_STEP):
        page.fill("#code", current_code(address))
        page.click("#submit")
    page.wait_for_url(lambda u: "/logga-in" not in u)


def endpoint_of(urls: MapAdapter, path: str) -> str | None:
    try:
        endpoint, _ = urls.match(path, method="GET")
    except HTTPException:
        return None
    return endpoint


def links_on(page: Page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    return [urldefrag(href)[0] for href in hrefs if href.startswith(base + "/")]


def sideways_overflow(page: Page) -> int:
    """How many pixels the page scrolls sideways (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def widest_elements(page: Page) -> list[str]:
    """The outermost elements that reach past the right edge, to say what to fix."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)
            .filter(e => e.parentElement.getBoundingClientRect().right <= innerWidth + 0.5)
            .slice(0, 5)
            .map(e => `<${e.tagName.toLowerCase()} class="${e.className}"> ` +
                      `${Math.round(e.getBoundingClientRect().right)} px`)"""
    )


# The crawl sees one page per route, so the first project it opens may have no report; staff
# also start from the demo's project with a drafted report, to reach a report and its preview.
STARTS = {"member": ["/"], "staff": ["/", "/projekt/bokstart-vasternorrland/rapporter"]}
STARTS["admin"] = STARTS["staff"]


def crawl(page: Page, server: LiveServer, starts: list[str]) -> tuple[set[str], list[str]]:
    """Visit one page per route reachable by links; return the routes seen and the problems."""
    urls = server.app.url_map.bind("127.0.0.1")
    seen: set[str] = set()
    problems: list[str] = []
    queue = deque(server.url + path for path in starts)
    while queue:
        url = queue.popleft()
        endpoint = endpoint_of(urls, urlsplit(url).path)
        if endpoint is None or endpoint in seen or endpoint == "static":
            continue
        seen.add(endpoint)
        try:
            response = page.goto(url)
        except Error as error:
            if "Download is starting" in error.message:
                continue  # a file, not a page
            raise
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        if response.status != 200:
            problems.append(f"{url}: HTTP {response.status}")
            continue
        overflow = sideways_overflow(page)
        if overflow > 0:
            problems.append(f"{url} scrolls {overflow} px sideways: {widest_elements(page)}")
        results = AXE.run(page)
        if results.violations_count:
            problems.append(f"{url}\n{results.generate_report()}")
        queue.extend(links_on(page, server.url))
    return seen, problems


@pytest.mark.parametrize("role", ["member", "staff", "admin"])
def test_every_page_fits_a_phone_and_passes_axe(demo_server, chromium, role):
    context = chromium.new_context(
        viewport=PHONE, locale="sv-SE", timezone_id="Europe/Stockholm", accept_downloads=False
    )
    try:
        page = context.new_page()
        log_in(page, demo_server.url, role)
        seen, problems = crawl(page, demo_server, STARTS[role])
    finally:
        context.close()
    assert MUST_REACH[role] <= seen, f"never reached: {sorted(MUST_REACH[role] - seen)}"
    assert not problems, "\n\n".join(problems)
