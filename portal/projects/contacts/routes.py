"""Funders and their contacts: county library staff and admins keep who receives the reports."""

from flask import render_template, url_for
from flask_login import current_user

from portal.accounts.models import ORGANISATION_KINDS
from portal.accounts.permissions import require_staff
from portal.core.forms import ButtonForm, press_button, save_form
from portal.core.i18n import _l, translated
from portal.projects.blueprint import bp
from portal.projects.contacts import services as contacts
from portal.projects.contacts.forms import FunderContactForm
from portal.projects.lookup import found_or_404


def _funder(organisation_id: int):
    return found_or_404(contacts.funder_by_id(organisation_id))


def _back(funder) -> str:
    return url_for("projects.funder_contacts", organisation_id=funder.id)


def _save_contact(funder, contact, form, template: str, **context):
    """Validate, call the service, commit once; on an error keep what was typed."""
    response = save_form(
        form,
        lambda: contacts.save_contact(
            current_user,
            funder,
            contact,
            name=form.name.data,
            email=form.email.data,
            role=form.role.data,
            phone=form.phone.data,
            receives_reports=form.receives_reports.data,
        ),
        _l("Kontaktpersonen är sparad."),
        url_for("projects.funder_contacts", organisation_id=funder.id),
    )
    if response:
        return response
    return render_template(template, funder=funder, contact=contact, form=form, **context)


@bp.route("/finansiarer")
@require_staff
def funders():
    return render_template(
        "projects/funders.html",
        funders=contacts.funders(),
        kinds=translated(ORGANISATION_KINDS),
    )


@bp.route("/finansiarer/<id:organisation_id>/kontakter", methods=["GET", "POST"])
@require_staff
def funder_contacts(organisation_id: int):
    funder = _funder(organisation_id)
    return _save_contact(
        funder,
        None,
        FunderContactForm(),
        "projects/funder_contacts.html",
        contacts=contacts.contacts_of(funder),
        remove_form=ButtonForm(formdata=None),
    )


@bp.route("/finansiarer/<id:organisation_id>/kontakter/<id:contact_id>", methods=["GET", "POST"])
@require_staff
def edit_funder_contact(organisation_id: int, contact_id: int):
    funder = _funder(organisation_id)
    contact = found_or_404(contacts.contact_of(funder, contact_id))
    return _save_contact(
        funder, contact, FunderContactForm(obj=contact), "projects/funder_contact.html"
    )


@bp.route("/finansiarer/<id:organisation_id>/kontakter/<id:contact_id>/ta-bort", methods=["POST"])
@require_staff
def delete_funder_contact(organisation_id: int, contact_id: int):
    funder = _funder(organisation_id)
    contact = found_or_404(contacts.contact_of(funder, contact_id))
    return press_button(
        lambda: contacts.delete_contact(current_user, contact),
        _l("Kontaktpersonen är borttagen."),
        _back(funder),
    )
