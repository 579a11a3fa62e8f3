"""Swedish first, English second: the person's chosen language, else the browser's."""

from collections.abc import Mapping

from flask import Flask, current_app, has_request_context, request
from flask_babel import lazy_gettext as _l  # noqa: F401  (re-exported for models and forms)
from flask_login import current_user

from portal.extensions import babel


def select_locale() -> str:
    """Outside a request (CLI commands, worker tasks) the portal speaks Swedish."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated:
        return current_user.language
    return request.accept_languages.best_match(current_app.config["LANGUAGES"]) or "sv"


def translated(labels: Mapping[str, str]) -> dict[str, str]:
    """A label table translated once for this request: a template looking up lazy strings row by
    row would translate the same few words hundreds of times per page."""
    return {key: str(label) for key, label in labels.items()}


def init_babel(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
