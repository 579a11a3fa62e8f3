"""The portal's Markdown, one parser with two faces: `markdown_html` where HTML is shown (nh3
keeps only safe HTML) and `markdown_text` where plain text is."""

import html

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
# The same parser keeping each line break: for texts typed line by line, as a report's.
_markdown_with_breaks = MarkdownIt(
    "commonmark", {"html": False, "linkify": False, "breaks": True}
).enable("table")
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
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
}


def markdown_html(text: str | None, breaks: bool = False, top_heading: int = 2) -> Markup:
    """Safe HTML from Markdown: no script, no event handlers, no javascript: links. With
    `breaks`, a single line break is kept as one (plain text keeps them always).

    The writer's headings sit under the page's own: "#" becomes `<h{top_heading}>` ("##" one
    level below, and so on, at most h6), so the page has one h1 and the text's headings do not
    rank with the headings around it (a report's sections are h2, its texts' headings h3)."""
    parser = _markdown_with_breaks if breaks else _markdown
    tokens = parser.parse(text or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + top_heading - 1, 6)}"
    html = parser.renderer.render(tokens, parser.options, {})
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return Markup(clean)


def markdown_text(text: str | None) -> str:
    """The same Markdown as clean plain text, for wherever text is shown (plain-text emails,
    digests, search snippets, iCal, Atom summaries): no `**`, `__` or `#` marks; paragraphs
    and line breaks kept, list items as "- " or "1. ", links as "text (url)".

    It walks the tokens of the parser that `markdown_html` renders, so both faces read the
    Markdown the same way."""
    lines: list[str] = []
    numbers: list[int | None] = []  # per open list: the next item's number, None for bullets
    indents: list[str] = []
    indent = ""  # what a line inside the current list item or quote starts with
    marker = ""  # the list item's marker, waiting for the item's first line
    row: list[str] | None = None  # the cells of a table row being read

    def write(content: str) -> None:
        nonlocal marker
        for line in content.split("\n"):
            lines.append((marker or indent) + line)
            marker = ""

    def gap() -> None:
        if lines and lines[-1].strip():
            lines.append("")

    for token in _markdown.parse(text or ""):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            ordered = kind == "ordered_list_open"
            if not numbers:
                gap()
            numbers.append(int(str(token.attrGet("start") or 1)) if ordered else None)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            numbers.pop()
        elif kind == "list_item_open":
            number = numbers[-1]
            item_marker = "- " if number is None else f"{number}. "
            if number is not None:
                numbers[-1] = number + 1
            indents.append(indent)
            marker, indent = indent + item_marker, indent + " " * len(item_marker)
        elif kind == "blockquote_open":
            gap()
            indents.append(indent)
            indent += "  "
        elif kind in ("list_item_close", "blockquote_close"):
            indent, marker = indents.pop(), ""
        elif kind in ("paragraph_open", "heading_open", "table_open") and not token.hidden:
            gap()
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and row is not None:
            write(" | ".join(row))
            row = None
        elif kind == "inline":
            content = _inline_text(token.children or [])
            if row is not None:
                row.append(content)
            else:
                write(content)
        elif kind in ("fence", "code_block"):
            gap()
            write(token.content.rstrip("\n"))
        elif kind == "hr":
            gap()
            write("———")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def _inline_text(children: list[Token]) -> str:
    parts: list[str] = []
    links: list[tuple[int, str]] = []
    for child in children:
        kind = child.type
        if kind in ("text", "text_special", "code_inline", "html_inline", "image"):
            parts.append(child.content)  # an image's content is its alt text
        elif kind in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif kind == "link_open":
            links.append((len(parts), str(child.attrGet("href") or "")))
        elif kind == "link_close" and links:
            start, href = links.pop()
            label = "".join(parts[start:])
            if href and href not in (label, f"mailto:{label}"):
                parts.append(f" ({href})")
    return "".join(parts)


def markdown_excerpt(text: str | None, length: int = 300) -> str:
    """The text of the Markdown on one line, cut at a word near `length`."""
    plain = " ".join(markdown_text(text).split())
    if len(plain) <= length:
        return plain
    return plain[:length].rsplit(" ", 1)[0] + " …"


def plain_text(text: str | None) -> str:
    """The text as typed, without any HTML tags (script and style with their content): for
    plain-text channels such as an iCal description, which some calendar programs show as
    HTML. Markdown marks stay as typed; `markdown_text` first for text written in Markdown."""
    return html.unescape(nh3.clean(text or "", tags=set())).strip()
