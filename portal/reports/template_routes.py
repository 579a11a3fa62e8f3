"""Admin pages for report templates: /admin/rapportmallar."""

from __future__ import annotations

from flask import render_template, url_for
from flask_login import current_user

from portal.core.forms import save_form, select_choices
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


def _edit(template: ReportTemplate | None):
    form = _form(template)
    response = save_form(
        form,
        lambda: template_admin.save_template(
            current_user,
            template,
            name=form.name.data,
            description=form.description.data,
            funder_id=form.funder_id.data,
            rows=[
                (entry.title.data, entry.source.data, entry.guidance.data)
                for entry in form.sections
            ],
        ),
        _l("Mallen är sparad."),
        url_for("reports.templates"),
    )
    return response or render_template("reports/template_form.html", form=form, template=template)


@bp.route("/admin/rapportmallar/ny", methods=["GET", "POST"])
@require_role("admin")
def new_template():
    return _edit(None)


@bp.route("/admin/rapportmallar/<id:template_id>", methods=["GET", "POST"])
@require_role("admin")
def edit_template(template_id: int):
    return _edit(found_or_404(db.session.get(ReportTemplate, template_id)))
