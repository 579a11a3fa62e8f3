"""PDFs the portal renders: text a person can copy, title and language for screen readers, tagged,
and no network fetches while rendering."""

import pytest

from portal.core.pdf import RefusedFetch, portal_fetcher, render_pdf
from tests.pdfs import is_pdf, pdf_info, pdf_language, pdf_text

DOCUMENT = """<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Utkast</title></head>
<body><h1>Lägesrapport för Bokstart Västernorrland</h1>
<p>Diarienummer KUR 2016/1234. Vi har träffat 120 familjer i Örnsköldsvik.</p></body></html>"""


def test_pdf_holds_the_swedish_text_of_the_document(app):
    pdf = render_pdf(DOCUMENT, title="Lägesrapport Bokstart")

    assert is_pdf(pdf)
    text = pdf_text(pdf)
    assert "Lägesrapport för Bokstart Västernorrland" in text
    assert "KUR 2016/1234" in text
    assert "Örnsköldsvik" in text


def test_pdf_has_the_given_title_and_language_and_is_tagged(app):
    pdf = render_pdf(DOCUMENT, title="Lägesrapport Bokstart 2016", lang="sv")

    info = pdf_info(pdf)
    assert info["Title"] == "Lägesrapport Bokstart 2016"
    assert info["Tagged"] == "yes"
    assert pdf_language(pdf) == "sv"


def test_pdf_language_follows_the_argument(app):
    assert pdf_language(render_pdf(DOCUMENT, title="Progress report", lang="en")) == "en"


def test_rendering_refuses_to_fetch_from_another_host(app, monkeypatch):
    fetched = []
    fetcher_class = type(portal_fetcher())
    original = fetcher_class.fetch

    def recording_fetch(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(fetcher_class, "fetch", recording_fetch)
    html = DOCUMENT.replace(
        "</body>", '<img src="http://tracker.example/pixel.png" alt="spårare"></body>'
    )

    pdf = render_pdf(html, title="Lägesrapport")

    assert "http://tracker.example/pixel.png" in fetched  # asked, and refused: no exception
    assert "Bokstart" in pdf_text(pdf)


def test_fetcher_refuses_other_hosts_and_files_outside_static(app):
    fetcher = portal_fetcher("http://portal.test")

    with pytest.raises(RefusedFetch):
        fetcher("https://tracker.example/static/css/portal.css")
    with pytest.raises(RefusedFetch):
        fetcher("http://portal.test/projekt/bokstart")
    with pytest.raises(RefusedFetch):
        fetcher("http://portal.test/static/../../config.py")
    with pytest.raises(RefusedFetch):
        fetcher("file:///etc/passwd")


def test_fetcher_serves_data_urls_and_the_portals_own_stylesheet(app):
    fetcher = portal_fetcher("http://portal.test")

    stylesheet = fetcher("http://portal.test/static/css/portal.css")
    assert stylesheet.headers["Content-Type"] == "text/css"
    assert b"{" in stylesheet.read()
    assert fetcher("data:text/plain;base64,SGVq").read() == b"Hej"
