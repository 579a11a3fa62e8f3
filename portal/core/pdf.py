"""PDF documents rendered from the portal's own HTML with WeasyPrint.

The PDF is tagged (PDF/UA-1, so a screen reader finds headings, tables and reading order) and
carries its title and language in the metadata. Rendering never touches the network: the
fetcher hands WeasyPrint only `data:` URLs and the portal's own static files, read from disk, so
a link or image in a report's text cannot make the server call out (or wait on) another host.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app, has_app_context
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

log = logging.getLogger(__name__)
# WeasyPrint reports each rendering step at INFO; the portal's log wants what went wrong.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

PDF_VARIANT = "pdf/ua-1"
PACKAGE_STATIC = Path(__file__).parent.parent / "static"


class RefusedFetch(ValueError):
    """A URL the PDF may not load: anything but data: and the portal's static files."""


class PortalFetcher(URLFetcher):
    """Serves `data:` URLs and the portal's static files from disk; refuses everything else.

    A static file is a `file:` URL inside `static_folder`, or an http(s) URL on the portal's own
    host (`base_url`) whose path starts with `static_url_path`; it is read from the folder, never
    requested over HTTP.
    """

    def __init__(self, static_folder: str | Path, static_url_path: str, base_url: str | None):
        super().__init__(allowed_protocols=("data",))
        self.static_folder = Path(static_folder).resolve()
        self.static_url_path = static_url_path.rstrip("/") + "/"
        self.portal_host = urlsplit(base_url).netloc if base_url else None

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            return self._static_file(Path(unquote(parts.path)), url)
        if scheme in ("http", "https") and self.portal_host and parts.netloc == self.portal_host:
            path = unquote(parts.path)
            if path.startswith(self.static_url_path):
                relative = path.removeprefix(self.static_url_path)
                return self._static_file(self.static_folder / relative, url)
        log.info("PDF rendering refused to fetch %s", url)
        raise RefusedFetch(f"Only data: URLs and the portal's static files: {url}")

    def _static_file(self, path: Path, url: str) -> URLFetcherResponse:
        resolved = path.resolve()
        if not resolved.is_relative_to(self.static_folder) or not resolved.is_file():
            log.info("PDF rendering refused to fetch %s", url)
            raise RefusedFetch(f"Not one of the portal's static files: {url}")
        content_type = mimetypes.guess_type(resolved.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            resolved.as_uri(), resolved.read_bytes(), {"Content-Type": content_type}
        )


def portal_fetcher(base_url: str | None = None) -> PortalFetcher:
    """The fetcher for the current app (its static folder), or the package's static folder."""
    if has_app_context():
        app = current_app
        static = app.static_folder or PACKAGE_STATIC
        return PortalFetcher(static, app.static_url_path or "/static", base_url)
    return PortalFetcher(PACKAGE_STATIC, "/static", base_url)


def render_pdf(html: str, *, title: str, lang: str = "sv", base_url: str | None = None) -> bytes:
    """A tagged PDF/UA-1 of the HTML, with `title` and `lang` in its metadata.

    `base_url` resolves relative URLs ("/static/css/…"); it defaults to PORTAL_BASE_URL.
    """
    if base_url is None and has_app_context():
        base_url = current_app.config.get("PORTAL_BASE_URL")
    document = HTML(string=html, base_url=base_url, url_fetcher=portal_fetcher(base_url)).render()
    document.metadata.title = title
    document.metadata.lang = lang
    return document.write_pdf(pdf_variant=PDF_VARIANT)
