"""Security headers on every response, error pages included, and the last-resort error page.

The headers are set by WSGI middleware around the whole application rather than in an
`after_request` hook: a response Flask could not finish (an error page that failed to render)
never passes through the hook, but it still passes through the middleware.
"""

import logging

from flask import Flask
from markupsafe import escape
from werkzeug.datastructures import Headers

from portal.core.i18n import _l

log = logging.getLogger(__name__)

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# A standalone document with its style sheet inline (a report's preview, made from the same
# HTML as its PDF): inline styles allowed, scripts still only the portal's own (it has none).
DOCUMENT_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)
HSTS = "max-age=31536000; includeSubDomains"

# The texts of templates/errors/error.html's 500 page, without the layout that failed to render.
LAST_RESORT_TITLE = _l("Något gick fel")
LAST_RESORT_TEXT = _l("Ett oväntat fel uppstod. Felet är loggat; försök igen om en stund.")
LAST_RESORT_LINK = _l("Till startsidan")


def with_security_headers(headers, hsts: bool) -> list[tuple[str, str]]:
    """The response's headers with ours added; a page's own Content-Security-Policy stays."""
    headers = Headers(headers)
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if hsts:
        headers["Strict-Transport-Security"] = HSTS
    return headers.to_wsgi_list()


def last_resort_page() -> bytes:
    """Swedish, plain and with nothing from the request: sent when the error page failed too."""
    title = escape(str(LAST_RESORT_TITLE))
    return (
        f'<!doctype html>\n<html lang="sv"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><h1>{title}</h1><p>{escape(str(LAST_RESORT_TEXT))}</p>"
        f'<p><a href="/">{escape(str(LAST_RESORT_LINK))}</a></p></body></html>\n'
    ).encode()


def propagates_exceptions(app: Flask) -> bool:
    """Flask's own rule: tests and the debugger want the exception, not a page."""
    propagate = app.config["PROPAGATE_EXCEPTIONS"]
    return app.testing or app.debug if propagate is None else propagate


class SecurityHeaders:
    """WSGI middleware: the headers on every response, and the last-resort 500 page (with them)
    when the application raised instead of answering."""

    def __init__(self, app: Flask, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        hsts = bool(self.app.config.get("HSTS"))

        def start_with_headers(status, headers, exc_info=None):
            return start_response(status, with_security_headers(headers, hsts), exc_info)

        try:
            return self.wsgi_app(environ, start_with_headers)
        except Exception:
            if propagates_exceptions(self.app):
                raise
            log.exception("The error page failed; the last-resort page was sent")
        page = last_resort_page()
        start_with_headers(
            "500 INTERNAL SERVER ERROR",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(page)))],
        )
        return [page]


def register_security_headers(app: Flask) -> None:
    app.wsgi_app = SecurityHeaders(app, app.wsgi_app)  # type: ignore[method-assign]
