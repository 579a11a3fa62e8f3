"""The login page with its three ways in: a password, a passkey, a municipal account."""

from flask import render_template

from portal.accounts.forms import LoginForm
from portal.accounts.passkeys.forms import login_form as passkey_login_form
from portal.accounts.sso.services import organisations_with_login


def render_login(form=None, passkey_form=None):
    """The login page; each form not given is shown empty. The organisations whose people can
    log in with their municipal account are links, not a form: the page's Content-Security-
    Policy (form-action 'self') would stop a form's redirect to the IdP in the browser."""
    return render_template(
        "accounts/login.html",
        form=form or LoginForm(formdata=None),
        passkey_form=passkey_form or passkey_login_form(formdata=None),
        sso_organisations=organisations_with_login(),
    )
