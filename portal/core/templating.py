"""Template filters and globals shared by every feature: numbers, money, Markdown, is_staff."""

from collections.abc import Callable

from flask import Flask

from portal.core.dates import local_time
from portal.core.markdown import markdown_excerpt, render_markdown
from portal.core.numbers import format_money, format_number, format_percent


def register_template_filters(app: Flask, feature_globals: dict[str, Callable]) -> None:
    """The shared filters and globals. Core imports no feature, so the factory passes in the
    features' globals (`is_staff`): the templates' one way to ask who is staff."""
    app.jinja_env.filters["money"] = format_money
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.filters["percent"] = format_percent
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["excerpt"] = markdown_excerpt
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.globals.update(feature_globals)
