"""The document register's page: staff choose folder, project and year, and download the
register as CSV or Excel (the downloads are served by portal/exports/document_register.py)."""

from flask import render_template, request

from portal.accounts.permissions import require_staff
from portal.core.forms import select_choices
from portal.core.i18n import _l
from portal.documents import bp
from portal.documents.folder_routes import folder_choices
from portal.documents.forms import RegisterFilterForm
from portal.documents.register import RegisterFilters
from portal.projects import choices


def filter_form(args) -> RegisterFilterForm:
    """The filters as sent in the query string, with the folders and projects to choose from."""
    form = RegisterFilterForm(args)
    form.folder.choices = folder_choices(_l("Alla mappar"))
    form.project.choices = select_choices([("", _l("Alla projekt")), *choices.project_choices()])
    return form


def filters_of(form: RegisterFilterForm) -> RegisterFilters:
    return RegisterFilters(
        folder_id=form.folder.data, project_id=form.project.data, year=form.year.data
    )


def register_page(form: RegisterFilterForm, status: int = 200):
    return render_template("documents/register.html", form=form), status


@bp.route("/dokument/register")
@require_staff
def register():
    return register_page(filter_form(request.args))
