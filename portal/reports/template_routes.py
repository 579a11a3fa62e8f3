"""Admin pages for report templates: /admin/rapportmallar."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_login import current_user

from portal.core.errors import ValidationError
from portal.core.forms import flash_success, select_choices, show_error
from portal.core.i18n import _l
from portal.core.permissions import require_role
from portal.extensions import db
from portal.projects.funding.economy import funder_choices
from portal.projects.lookup import found_or_404
from portal.reports import bp, template_admin
from portal.reports.forms import TEMPLATE_ROWS, TemplateForm
from portal.reports.models import ReportTemplate
from portal.reports.sources import source_choices, sources


@bp.route("/admin/rapportmallar")
@require_role("admin")
def templates():
    return render_template(
        "reports/templates.html",
        templates=template_admin.templates(),
        source_labels={name: str(source.label) for name, source in sources().items()},
    )


def _form(template: ReportTemplate | None) -> TemplateForm:
    data = None
    if template is not None:
        rows = list(template.sections or [])
        rows += [{"title": "", "source": "", "guidance": ""}] * max(TEMPLATE_ROWS - len(rows), 3)
        data = {
            "name": template.name,
            "description": template.description,
            "funder_id": template.funder_id,
            "sections": rows,
        }
    form = TemplateForm(data=data)
    form.funder_id.choices = select_choices([("", _l("Ingen")), *funder_choices()])
    choices = select_choices([("", _l("Välj underlag")), *source_choices()])
    for entry in form.sections:
        entry.source.choices = choices
    return form


def _field_error(form: TemplateForm, error: ValidationError) -> None:
    """A row's error goes beside that row's field; the rest as show_error does."""
    if error.field and error.field.startswith("sections-"):
        _prefix, index, name = error.field.split("-", 2)
        if index.isdigit() and int(index) < len(form.sections):
            field = form.sections[int(index)][name]
            field.errors = [*field.errors, str(error.message)]
            return
    show_error(form, error)


def _edit(template: ReportTemplate | None):
    form = _form(template)
    if form.validate_on_submit():
        try:
            template_admin.save_template(
                current_user,
                template,
                name=form.name.data,
                description=form.description.data,
                funder_id=form.funder_id.data,
                rows=[
                    (entry.title.data, entry.source.data, entry.guidance.data)
                    for entry in form.sections
                ],
            )
        except ValidationError as error:
            db.session.rollback()
            _field_error(form, error)
        else:
            db.session.commit()
            flash_success(_l("Mallen är sparad."))
            return redirect(url_for("reports.templates"))
    return render_template("reports/template_form.html", form=form, template=template)


@bp.route("/admin/rapportmallar/ny", methods=["GET", "POST"])
@require_role("admin")
def new_template():
    return _edit(None)


@bp.route("/admin/rapportmallar/<id:template_id>", methods=["GET", "POST"])
@require_role("admin")
def edit_template(template_id: int):
    return _edit(found_or_404(db.session.get(ReportTemplate, template_id)))
