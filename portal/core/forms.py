"""Form helpers: show a service's error beside its field, keep what was typed; a Swedish
date-and-time field; the form of a button that only posts the CSRF token."""

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar
from urllib.parse import urlsplit

from flask import abort, flash, redirect
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from wtforms import DateField, DateTimeLocalField, Field, FieldList, FormField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, NumberRange, Optional, ValidationError
from wtforms.widgets import TextInput

from portal.core import errors
from portal.core.dates import STOCKHOLM
from portal.core.errors import DomainError
from portal.core.i18n import _l
from portal.core.ids import parse_id
from portal.extensions import db

T = TypeVar("T")


def int_or_none(value) -> int | None:
    """A query-string or select number such as ?year=2016 or an id; anything else (missing,
    "abc", 0, a number beyond what the database holds) is None."""
    try:
        return parse_id(value)
    except (TypeError, ValueError):
        return None


class WholeNumberRange(NumberRange):
    """NumberRange for an IntegerField. WTForms' own first asks whether the number is NaN, as a
    float, which a number of more than 308 digits cannot be: the request ended in a 500."""

    def __call__(self, form, field):
        data = field.data
        if data is None or (self.min is not None and data < self.min):
            raise ValidationError(self.message)
        if self.max is not None and data > self.max:
            raise ValidationError(self.message)


class ButtonForm(FlaskForm):
    """A button that changes something (delete, remove, restore, mark done, close a feed):
    only the CSRF token, which `validate_on_submit` checks. The template says the button's
    text, either in a <button> beside `form.hidden_tag()` or as `submit(form.submit, _("…"))`;
    the submit field has no label of its own because every button says something else."""

    submit = SubmitField()


def show_error(form: FlaskForm, error: DomainError) -> None:
    """Attach the message to the named field (a row's field by its full name, as
    "sections-2-title"), or show it above the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is None and error.field:
        field = _field_named(form, error.field)
    if field is not None:
        field.errors = [*field.errors, str(error.message)]
    else:
        form.form_errors.append(str(error.message))


def _field_named(fields, name: str) -> Field | None:
    """The field whose name in the HTML is `name`, looking into the rows of lists too."""
    for field in fields:
        if field.name == name:
            return field
        if isinstance(field, FieldList | FormField):
            found = _field_named(field, name)
            if found is not None:
                return found
    return None


def _run_and_commit(action: Callable[[], T]) -> T:
    """The one service call, then COMMIT; whatever is raised rolls the transaction back first,
    so no error page ever flushes half a change."""
    try:
        result = action()
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return result


def save_form(
    form: FlaskForm,
    save: Callable[[], T],
    message,
    redirect_to,
    refused: Callable[[DomainError], ResponseReturnValue] | None = None,
) -> ResponseReturnValue | None:
    """The one way a view saves a form: when the form validates, run the one service call
    `save`, commit, say `message` and redirect to `redirect_to` (a URL, or a function of what
    `save` returned). A refusal (ValidationError, also one raised by a rule at the commit's
    flush) rolls back and puts its Swedish message beside its field or above the form, and
    None is returned: the view shows the form again, with what was typed. A view that answers
    refusals itself (other statuses, other DomainErrors) passes `refused(error)`."""
    if not form.validate_on_submit():
        return None
    try:
        result = _run_and_commit(save)
    except DomainError as error:
        if refused is not None:
            return refused(error)
        if not isinstance(error, errors.ValidationError):
            raise
        show_error(form, error)
        return None
    flash_success(message)
    return redirect(redirect_to(result) if callable(redirect_to) else redirect_to)


def save_form_and_show(
    form: FlaskForm,
    save: Callable[[], T],
    show: Callable[[T], ResponseReturnValue],
) -> ResponseReturnValue | None:
    """As `save_form`, but the answer is `show(result)` instead of a redirect: for what may be
    seen only once (new recovery codes), which a redirect would have to carry in the cookie."""
    if not form.validate_on_submit():
        return None
    try:
        result = _run_and_commit(save)
    except errors.ValidationError as error:
        show_error(form, error)
        return None
    return show(result)


def press_button(
    action: Callable[[], T],
    message,
    redirect_to,
    refused: Callable[[DomainError], ResponseReturnValue] | None = None,
) -> ResponseReturnValue:
    """The one way a button (a ButtonForm: only the CSRF token) changes something: 400 without
    a valid token; else run the one service call `action`, commit, say `message` and redirect
    to `redirect_to` (each a value, or a function of what `action` returned; no message when
    None). A refusal (a DomainError) rolls back and is answered by `refused(error)`, or, without
    it, by the error pages (403 for PermissionDenied, ...)."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        result = _run_and_commit(action)
    except DomainError as error:
        if refused is None:
            raise
        return refused(error)
    said = message(result) if callable(message) else message
    if said is not None:
        flash_success(said)
    return redirect(redirect_to(result) if callable(redirect_to) else redirect_to)


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


REQUIRED = _l("Fyll i fältet.")
VALID_DATE = _l("Skriv ett datum som 2016-03-15.")
VALID_TIME = _l("Ange datum och tid som 2026-12-02 08:00.")
# Year 1 in Swedish time is year 0 in UTC, which Python's datetime cannot hold.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200
TIME_IN_RANGE = _l("Ange en tid mellan år 1900 och 2200.")
DATE_IN_RANGE = _l("Ange ett datum mellan år 1900 och 2200.")


def optional_int(value):
    """A select's id: None when nothing is chosen, -1 (no row has it) when what came is no id."""
    if value in (None, ""):
        return None
    return int_or_none(value) or -1


def int_list(value):
    """One id of a multiple select; -1 (no row has it) when what came is no id."""
    return int_or_none(value) or -1


class SwedishDateField(DateField):
    """A date as 2016-03-15, with the Swedish message when it is not one."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format="%Y-%m-%d", **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(VALID_DATE)) from error


def date_field(label, required=False):
    validators = [DataRequired(VALID_DATE)] if required else [Optional()]
    return SwedishDateField(label, validators=[*validators, within_years])


def within_years(form, field) -> None:
    """A date the portal can count with: year 1 in Swedish time is year 0 in UTC, which Python
    cannot hold, and no project, grant or report lies outside 1900–2200."""
    if field.data is not None and not EARLIEST_YEAR <= field.data.year <= LATEST_YEAR:
        raise ValidationError(str(DATE_IN_RANGE))


class SwedishDateTimeField(DateTimeLocalField):
    """A date and time typed in Swedish time, "2026-12-02 08:00", with the Swedish message when
    it is not one. `data` is timezone-aware, so a stored UTC time can be given as it is: it is
    shown in Swedish time.

    A plain text box, not the browser's datetime-local one: that box's keyboard entry follows
    the browser's locale, which the hint beside the field cannot describe.
    """

    widget = TextInput()
    formats = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M")
    data: datetime | None

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format=list(self.formats), **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(VALID_TIME)) from error
        if self.data is None:
            return
        if not EARLIEST_YEAR <= self.data.year <= LATEST_YEAR:
            self.data = None
            raise ValueError(str(TIME_IN_RANGE))
        self.data = self.data.replace(tzinfo=STOCKHOLM)

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        if self.data is None:
            return ""
        return self.data.astimezone(STOCKHOLM).strftime(self.formats[0])
