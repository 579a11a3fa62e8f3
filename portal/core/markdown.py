"""Markdown for people: markdown-it-py renders, nh3 keeps only safe HTML."""

import html

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h2",
    "h3",
    "h4",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
}


def markdown_excerpt(text: str | None, length: int = 300) -> str:
    """The text of rendered Markdown without any tags, cut at a word near `length`."""
    plain = " ".join(nh3.clean(_markdown.render(text or ""), tags=set()).split())
    plain = html.unescape(plain)
    if len(plain) <= length:
        return plain
    return plain[:length].rsplit(" ", 1)[0] + " …"


def render_markdown(text: str | None) -> Markup:
    """Safe HTML from Markdown: no script, no event handlers, no javascript: links."""
    html = _markdown.render(text or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return Markup(clean)


def plain_text(text: str | None) -> str:
    """The text as typed, without any HTML tags (script and style with their content): for
    plain-text channels such as an iCal description, which some calendar programs show as
    HTML. Markdown marks stay as typed."""
    return html.unescape(nh3.clean(text or "", tags=set())).strip()
