"""Passkeys on the profile (register, remove) and on the login page (log in with one).

Each ceremony is two requests: the script asks for options (a POST with the CSRF token in its
header, since it starts a ceremony), the browser talks to the authenticator, and the script
sends the answer in the ordinary form, which is checked and answered like any other.
"""

from flask import abort, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from portal.accounts import bp
from portal.accounts import services as account_services
from portal.accounts.api_tokens import services as api_token_services
from portal.accounts.api_tokens.forms import api_token_form as make_api_token_form
from portal.accounts.forms import ProfileForm
from portal.accounts.login_page import render_login
from portal.accounts.models import Passkey
from portal.accounts.passkeys import ceremony, services
from portal.accounts.passkeys.forms import login_form, registration_form
from portal.accounts.sessions import start_session
from portal.core.forms import press_button, safe_next, save_form
from portal.core.i18n import _l
from portal.extensions import db, limiter

# How this session was logged in: "passkey" counts as both factors (the second-factor step
# after a password need not ask again).
LOGIN_METHOD = "login_method"
LOGIN_FAILED = _l(
    "Inloggningen med passkey misslyckades. Försök igen, eller logga in med e-post och lösenord."
)


def render_profile(form=None, passkey_form=None, api_token_form=None, new_api_token=None):
    """The profile page, with whichever of its forms has just failed kept as it was typed (and
    a personal access token's secret, once, just after it was made)."""
    user = current_user._get_current_object()
    return render_template(
        "accounts/profile.html",
        form=form or ProfileForm(obj=user, formdata=None),
        passkey_form=passkey_form or registration_form(formdata=None),
        passkeys=services.passkeys_of(user),
        api_token_form=api_token_form or make_api_token_form(formdata=None),
        api_tokens=api_token_services.tokens_of(user),
        new_api_token=new_api_token,
    )


@bp.route("/profil/passkeys/alternativ", methods=["POST"])
@login_required
def passkey_registration_options():
    user = current_user._get_current_object()
    options = services.registration_options(user, ceremony.relying_party_id())
    ceremony.keep_challenge(ceremony.REGISTER, options, user.id)
    return ceremony.json_response(options)


@bp.route("/profil/passkeys", methods=["POST"])
@login_required
def add_passkey():
    user = current_user._get_current_object()
    form = registration_form()
    expected = ceremony.take_challenge(ceremony.REGISTER, user.id)
    response = save_form(
        form,
        lambda: services.register_passkey(user, form.name.data, form.credential.data, expected),
        _l("Passkeyn är registrerad. Nästa gång kan du logga in med den."),
        url_for("accounts.profile", _anchor="passkeys"),
    )
    return response or render_profile(passkey_form=form)


@bp.route("/profil/passkeys/<id:passkey_id>/ta-bort", methods=["POST"])
@login_required
def remove_passkey(passkey_id: int):
    passkey = db.get_or_404(Passkey, passkey_id)
    if passkey.user_id != current_user.id:
        abort(403)
    return press_button(
        lambda: services.remove_passkey(current_user._get_current_object(), passkey),
        _l("Passkeyn är borttagen."),
        url_for("accounts.profile", _anchor="passkeys"),
    )


@bp.route("/logga-in/passkey/alternativ", methods=["POST"])
@limiter.limit("30 per minute")
def passkey_login_options():
    options = services.login_options(ceremony.relying_party_id())
    ceremony.keep_challenge(ceremony.LOGIN, options)
    return ceremony.json_response(options)


@bp.route("/logga-in/passkey", methods=["POST"])
@limiter.limit("30 per minute")
def passkey_login():
    """A passkey the authenticator unlocked for its holder is both factors: the person is
    logged in as with a password, and the session says how (`login_method`)."""
    destination = safe_next(request.args.get("next"), url_for("main.index"))
    if current_user.is_authenticated:
        return redirect(destination)
    passkey_form = login_form()
    expected = ceremony.take_challenge(ceremony.LOGIN)
    if passkey_form.validate_on_submit():
        user = services.user_for_passkey_login(passkey_form.credential.data, expected)
        if user:
            account_services.record_login(user)
            start_session(user, second_factor="passkey")  # both factors: MFA_REQUIRED_ROLES met
            session[LOGIN_METHOD] = "passkey"
            db.session.commit()
            return redirect(destination)
        db.session.rollback()
        passkey_form.form_errors.append(str(LOGIN_FAILED))
    return render_login(passkey_form=passkey_form)
