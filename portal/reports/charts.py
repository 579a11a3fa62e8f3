"""Small SVG charts drawn by the portal (no scripts, no external assets).

A chart is an <svg role="img"> with a <title> and a <desc> that says in words what the bars
show, so a screen reader gets the figures; the document shows the same figures as a table.
"""

from __future__ import annotations

import itertools
from html import escape

from flask_babel import gettext as _
from markupsafe import Markup

from portal.core.numbers import format_number, format_share, share_of

WIDTH = 640
BAR_HEIGHT = 22
ROW_GAP = 18
LABEL_WIDTH = 230
TOP = 8
_ids = itertools.count(1)


def target_bar_chart(title: str, bars: list[dict], chart_id: str | None = None) -> Markup:
    """Horizontal bars of each value's share of its target, with the target drawn as a line at
    100 %. `bars` are {"label", "value", "target", "unit"}."""
    chart_id = chart_id or f"chart-{next(_ids)}"
    scale_max = max([100.0, *[_share(bar) for bar in bars]])
    plot_width = WIDTH - LABEL_WIDTH - 70
    row = BAR_HEIGHT + ROW_GAP
    height = TOP + row * len(bars) + 24
    target_x = LABEL_WIDTH + plot_width * 100 / scale_max
    descriptions = [
        _(
            "%(label)s: %(value)s av målet %(target)s %(unit)s (%(share)s)",
            label=bar["label"],
            value=format_number(bar["value"]),
            target=format_number(bar["target"]),
            unit=bar.get("unit", ""),
            share=format_share(share_of(bar["value"], bar["target"]) or 0),
        )
        for bar in bars
    ]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(". ".join(descriptions))}.</desc>',
    ]
    for index, bar in enumerate(bars):
        y = TOP + index * row
        share = _share(bar)
        bar_width = max(plot_width * share / scale_max, 1)
        label = bar["label"] if len(bar["label"]) <= 32 else bar["label"][:31] + "…"
        parts += [
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end" font-size="13" '
            f'fill="#1a1a1a">{escape(label)}</text>',
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{bar_width:.1f}" height="{BAR_HEIGHT}" '
            f'fill="#1f5f8b"/>',
            f'<text x="{LABEL_WIDTH + bar_width + 6:.1f}" y="{y + 15}" font-size="13" '
            f'fill="#1a1a1a">{format_share(share_of(bar["value"], bar["target"]) or 0)}</text>',
        ]
    parts += [
        f'<line x1="{target_x:.1f}" y1="{TOP - 4}" x2="{target_x:.1f}" y2="{height - 20}" '
        f'stroke="#8a1c1c" stroke-width="2" stroke-dasharray="4 3"/>',
        f'<text x="{target_x:.1f}" y="{height - 6}" text-anchor="middle" font-size="12" '
        f'fill="#8a1c1c">{escape(_("Målet"))} 100 %</text>',
        "</svg>",
    ]
    return Markup("".join(parts))


def _share(bar: dict) -> float:
    if not bar.get("target"):
        return 0.0
    return float(bar["value"]) * 100 / float(bar["target"])
