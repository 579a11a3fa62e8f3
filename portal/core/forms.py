"""Form helpers: show a service's error beside its field, keep what was typed."""

from urllib.parse import urlsplit

from flask import flash
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from portal.core.errors import DomainError


def show_error(form: FlaskForm, error: DomainError) -> None:
    """Attach the message to the named field, or show it above the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error.message)]
    else:
        form.form_errors.append(str(error.message))


def safe_next(target: str | None, default: str) -> str:
    """Only the portal's own paths: no scheme, no host, no protocol-relative `//`."""
    if not target:
        return default
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith(("//", "/\\"))
    ):
        return default
    if any(char in target for char in "\r\n\\"):
        return default
    return target


def flash_success(message) -> None:
    flash(str(message), "success")


def select_choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms select options; lazy labels are rendered now."""
    return [SelectChoice(value, str(label)) for value, label in pairs]
