"""The admins' log of every audited change in the portal (/admin/logg): filtered by person,
kind of change, project and dates, in pages (here) or as a CSV file with the same filters
(portal/exports/audit_log.py, as exports sit above projects).

It lives in projects, not beside the other admin pages in accounts, because it filters by
project and names project rows; accounts sits below projects in the layers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import render_template, request
from flask_wtf import FlaskForm
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload
from wtforms import SelectField, StringField, SubmitField

from portal.accounts.models import User
from portal.core import audit_text
from portal.core.audit import AuditEntry
from portal.core.dates import STOCKHOLM
from portal.core.forms import date_field, optional_int, select_choices
from portal.core.i18n import _l
from portal.core.pagination import Paged, requested_page
from portal.core.permissions import require_role
from portal.extensions import db
from portal.projects.blueprint import bp
from portal.projects.models import Project
from portal.projects.progress import history_text  # noqa: F401  (registers the wording)

ENTRIES_PER_PAGE = 50
EVERYONE = ("", _l("Alla personer"))


class LogFilterForm(FlaskForm):
    """A GET form: filtering changes nothing, so it carries no CSRF token."""

    class Meta:
        csrf = False

    person = SelectField(_l("Person"), coerce=optional_int, validate_choice=False)
    entity = SelectField(_l("Slag av rad"), validate_choice=False)
    action = SelectField(_l("Händelse"), validate_choice=False)
    project = StringField(
        _l("Projekt"), description=_l("En del av projektets titel eller webbadress.")
    )
    since = date_field(_l("Från och med datum"))
    until = date_field(_l("Till och med datum"))
    submit = SubmitField(_l("Filtrera"))


def filter_form(args) -> LogFilterForm:
    form = LogFilterForm(args)
    people = db.session.execute(select(User.id, User.name).order_by(User.name))
    form.person.choices = select_choices([EVERYONE, *((row.id, row.name) for row in people)])
    form.entity.choices = select_choices([("", _l("Alla slag")), *audit_text.entity_choices()])
    form.action.choices = select_choices([("", _l("Alla händelser")), *audit_text.action_choices()])
    form.validate()
    return form


def _day_start(day: date) -> datetime:
    """Midnight in Stockholm of a day, the way people mean "from 3 March"."""
    return datetime.combine(day, time.min, tzinfo=STOCKHOLM)


def filtered(form: LogFilterForm) -> Select:
    query = select(AuditEntry)
    if form.person.data and not form.person.errors:
        query = query.where(AuditEntry.actor_id == form.person.data)
    if form.entity.data:
        query = query.where(AuditEntry.entity == form.entity.data)
    if form.action.data:
        query = query.where(AuditEntry.action == form.action.data)
    words = (form.project.data or "").strip()
    if words:
        matching = select(Project.id).where(
            or_(Project.title.icontains(words, autoescape=True), Project.slug == words)
        )
        query = query.where(AuditEntry.project_id.in_(matching))
    if form.since.data and not form.since.errors:
        query = query.where(AuditEntry.at >= _day_start(form.since.data))
    if form.until.data and not form.until.errors:
        query = query.where(AuditEntry.at < _day_start(form.until.data + timedelta(days=1)))
    return query


def _ordered(query: Select) -> Select:
    return query.options(selectinload(AuditEntry.actor), selectinload(AuditEntry.project)).order_by(
        AuditEntry.at.desc(), AuditEntry.id.desc()
    )


@dataclass
class LogPage(Paged):
    entries: list[audit_text.Readable]
    page: int
    pages: int
    total: int


def log_page(form: LogFilterForm, page: int) -> LogPage:
    result = db.paginate(
        _ordered(filtered(form)), page=page, per_page=ENTRIES_PER_PAGE, error_out=False
    )
    return LogPage(audit_text.describe(result.items), result.page, result.pages, result.total)


def _filter_args(args) -> dict[str, str]:
    """The filters as query arguments, for the pager and the CSV link."""
    return {
        name: value
        for name in ("person", "entity", "action", "project", "since", "until")
        if (value := args.get(name, "").strip())
    }


@bp.route("/admin/logg")
@require_role("admin")
def audit_log():
    form = filter_form(request.args)
    return render_template(
        "admin/log.html",
        form=form,
        page=log_page(form, requested_page()),
        filters=_filter_args(request.args),
    )


def log_entries(form: LogFilterForm) -> list[audit_text.Readable]:
    """Every entry the filters let through, in words (for the CSV file)."""
    return audit_text.describe(db.session.scalars(_ordered(filtered(form))))
