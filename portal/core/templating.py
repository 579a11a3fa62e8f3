"""The templates' filters and globals, in one place: numbers, money, Markdown, is_staff, …"""

from collections.abc import Callable

from flask import Flask
from flask_babel import get_locale

from portal.core.dates import local_time
from portal.core.markdown import markdown_excerpt, markdown_html, markdown_text
from portal.core.numbers import format_file_size, format_money, format_number, format_percent
from portal.core.region_identity import region_footer


def register_template_filters(app: Flask, feature_globals: dict[str, Callable]) -> None:
    """Every filter and global the templates use, registered here once. Core imports no
    feature, so the factory passes in the features' globals (`is_staff`, the templates' one
    way to ask who is staff)."""
    app.jinja_env.filters["money"] = format_money
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.filters["percent"] = format_percent
    app.jinja_env.filters["file_size"] = format_file_size
    app.jinja_env.filters["markdown"] = markdown_html
    app.jinja_env.filters["markdown_text"] = markdown_text
    app.jinja_env.filters["excerpt"] = markdown_excerpt
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["region_footer"] = region_footer
    app.jinja_env.globals.update(feature_globals)
