"""The login page with its three ways in: a password, a passkey, a municipal account."""

from flask import render_template

from portal.accounts.forms import LoginForm
from portal.accounts.passkeys.forms import login_form as passkey_login_form
from portal.accounts.sso.forms import SsoLoginForm
from portal.accounts.sso.services import organisations_with_login
from portal.core.forms import select_choices
from portal.core.i18n import _l


def sso_login_form(submitted: bool = False) -> SsoLoginForm | None:
    """The municipal-account form (with what was posted, when `submitted`), when some
    organisation has its login on."""
    organisations = organisations_with_login()
    if not organisations:
        return None
    form = SsoLoginForm() if submitted else SsoLoginForm(formdata=None)
    form.organisation_id.choices = select_choices([("", _l("Välj organisation")), *organisations])
    return form


def render_login(form=None, passkey_form=None, sso_form=None, status: int = 200):
    """The login page; each form not given is shown empty."""
    return render_template(
        "accounts/login.html",
        form=form or LoginForm(formdata=None),
        passkey_form=passkey_form or passkey_login_form(formdata=None),
        sso_form=sso_form or sso_login_form(),
    ), status
