"""Bar charts as SVG, drawn by the portal: no JavaScript, no CDN.

A chart is an image to assistive technology (role="img") named by its title and by the text
summary printed beside it; its numbers are in the data table under it. Bars are the portal's
brand blue (8.6:1 on white, well above the 3:1 that graphics need), text is near-black.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

WIDTH = 680
LABEL_WIDTH = 250  # 28 characters at 14 px, with room to spare
VALUE_WIDTH = 120
ROW_HEIGHT = 30
BAR_HEIGHT = 20
FONT_SIZE = 14
MAX_LABEL = 28
BAR_COLOUR = "#0b4f6c"
TEXT_COLOUR = "#1b1b1b"
AXIS_COLOUR = "#4a4a4a"


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def bar_chart(
    chart_id: str,
    title: str,
    summary_id: str,
    rows: Sequence[tuple[str, int | float]],
    format_value: Callable[[int | float], str] = str,
) -> Markup:
    """Horizontal bars, one per (label, value), longest bar for the largest value. The SVG is
    named by its <title> and by the element `summary_id` (the text summary on the page)."""
    largest = max((value for _, value in rows), default=0) or 1
    bar_space = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 8
    height = ROW_HEIGHT * len(rows) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'id="{chart_id}" aria-labelledby="{chart_id}-title {summary_id}" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'font-size="{FONT_SIZE}" font-family="system-ui, sans-serif">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<line x1="{LABEL_WIDTH}" y1="0" x2="{LABEL_WIDTH}" y2="{height - 4}" '
        f'stroke="{AXIS_COLOUR}" stroke-width="1"/>',
    ]
    for index, (label, value) in enumerate(rows):
        top = 4 + index * ROW_HEIGHT
        middle = top + ROW_HEIGHT / 2
        length = max(round(bar_space * max(value, 0) / largest, 1), 0)
        parts += [
            f'<text x="{LABEL_WIDTH - 8}" y="{middle}" text-anchor="end" '
            f'dominant-baseline="middle" fill="{TEXT_COLOUR}">{escape(_short(str(label)))}</text>',
            f'<rect x="{LABEL_WIDTH}" y="{top + (ROW_HEIGHT - BAR_HEIGHT) / 2}" '
            f'width="{length}" height="{BAR_HEIGHT}" fill="{BAR_COLOUR}"/>',
            f'<text x="{LABEL_WIDTH + length + 6}" y="{middle}" dominant-baseline="middle" '
            f'fill="{TEXT_COLOUR}">{escape(format_value(value))}</text>',
        ]
    parts.append("</svg>")
    return Markup("".join(parts))
