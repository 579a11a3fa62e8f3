"""Admin pages: users (list, filter, invite, role, deactivate, log out everywhere, remove a lost
second factor) and organisations."""

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.accounts import services
from portal.accounts.forms import InvitationForm, OrganisationForm, RoleForm
from portal.accounts.mfa import services as mfa
from portal.accounts.models import ROLES, Organisation, User
from portal.accounts.passkeys.services import has_passkey
from portal.core.forms import ButtonForm, save_form, select_choices
from portal.core.i18n import _l
from portal.core.ids import parse_id
from portal.core.pagination import requested_page
from portal.core.permissions import require_role
from portal.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/admin")

USERS_PER_PAGE = 50


def organisation_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Organisation.id, Organisation.name).order_by(Organisation.name)
    )
    return [(row.id, row.name) for row in rows]


@bp.route("/anvandare")
@require_role("admin")
def users():
    organisation_id = request.args.get("organisation", type=parse_id)
    role = request.args.get("roll") if request.args.get("roll") in ROLES else None
    query = select(User).options(selectinload(User.organisation)).order_by(User.name)
    if organisation_id:
        query = query.where(User.organisation_id == organisation_id)
    if role:
        query = query.where(User.role == role)
    page = db.paginate(query, page=requested_page(), per_page=USERS_PER_PAGE, error_out=False)
    return render_template(
        "admin/users.html",
        page=page,
        organisations=organisation_choices(),
        roles=ROLES,
        selected_organisation=organisation_id,
        selected_role=role,
    )


@bp.route("/anvandare/bjud-in", methods=["GET", "POST"])
@require_role("admin")
def invite():
    form = InvitationForm()
    form.organisation_id.choices = select_choices(
        [(0, _l("Välj organisation")), *organisation_choices()]
    )
    response = save_form(
        form,
        lambda: services.invite_user(
            current_user,
            form.email.data,
            form.name.data,
            form.organisation_id.data,
            form.role.data,
        ),
        _l("Inbjudan till %(email)s är skickad.", email=form.email.data),
        url_for("admin.users"),
    )
    return response or render_template("admin/invite.html", form=form)


@bp.route("/anvandare/<id:user_id>", methods=["GET", "POST"])
@require_role("admin")
def user(user_id: int):
    person = db.get_or_404(User, user_id)
    form = RoleForm(obj=person)
    response = save_form(
        form,
        lambda: services.change_role(current_user, person, form.role.data),
        _l("Rollen är ändrad."),
        url_for("admin.user", user_id=person.id),
    )
    return response or _user_page(person, form)


def _user_page(person: User, form: RoleForm):
    return render_template(
        "admin/user.html",
        person=person,
        form=form,
        second_factor=mfa.totp_factor(person),
        has_passkey=has_passkey(person),
    )


@bp.route("/anvandare/<id:user_id>/aktiv", methods=["POST"])
@require_role("admin")
def set_active(user_id: int):
    person = db.get_or_404(User, user_id)
    make_active = request.form.get("active") == "1"
    button = ButtonForm()
    response = save_form(
        button,
        lambda: services.set_active(current_user, person, make_active),
        _l("Kontot är aktiverat.") if make_active else _l("Kontot är avaktiverat."),
        url_for("admin.user", user_id=person.id),
    )
    return response or _user_page_with_errors(person, button)


@bp.route("/anvandare/<id:user_id>/logga-ut-overallt", methods=["POST"])
@require_role("admin")
def log_out_everywhere(user_id: int):
    person = db.get_or_404(User, user_id)
    button = ButtonForm()
    response = save_form(
        button,
        lambda: services.log_out_everywhere(current_user, person),
        _l("%(name)s är utloggad från alla enheter.", name=person.name),
        url_for("admin.user", user_id=person.id),
    )
    return response or _user_page_with_errors(person, button)


@bp.route("/anvandare/<id:user_id>/tvastegsverifiering/ta-bort", methods=["POST"])
@require_role("admin")
def remove_second_factor(user_id: int):
    """For a lost phone: the person logs in with the password alone once more (and, in a role
    that must have a second factor, enrols a new one at once)."""
    person = db.get_or_404(User, user_id)
    button = ButtonForm()
    response = save_form(
        button,
        lambda: mfa.remove_second_factors(current_user, person),
        _l(
            "Tvåstegsverifieringen för %(name)s är borttagen och alla inloggningar avslutade.",
            name=person.name,
        ),
        url_for("admin.user", user_id=person.id),
    )
    return response or _user_page_with_errors(person, button)


def _user_page_with_errors(person: User, button: ButtonForm):
    """The user's page again, with the refused button's message above the forms."""
    form = RoleForm(obj=person)
    form.form_errors.extend(button.form_errors)
    return _user_page(person, form), 400


@bp.route("/organisationer")
@require_role("admin")
def organisations():
    rows = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    return render_template("admin/organisations.html", organisations=rows)


@bp.route("/organisationer/ny", methods=["GET", "POST"])
@require_role("admin")
def new_organisation():
    return _edit_organisation(None)


@bp.route("/organisationer/<id:organisation_id>", methods=["GET", "POST"])
@require_role("admin")
def edit_organisation(organisation_id: int):
    return _edit_organisation(db.get_or_404(Organisation, organisation_id))


def _edit_organisation(organisation: Organisation | None):
    form = OrganisationForm(obj=organisation)
    response = save_form(
        form,
        lambda: services.save_organisation(organisation, **form.data),
        _l("Organisationen är sparad."),
        url_for("admin.organisations"),
    )
    return response or render_template(
        "admin/organisation_form.html", form=form, organisation=organisation
    )
