"""The login's second step, the authenticator app and recovery codes on the profile, and the
gate that holds a person whose role must have a second factor at enrolment until it is done.

The second step is its own state: after the right password the session only remembers who is
half logged in (`sessions.hold_for_second_factor`), which opens no page but this step's. A
passkey is the other way through it: a second form on the same page (shown by passkeys.js when
the browser can use one) that ends in the same `start_session`.
"""

from flask import abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from portal.accounts import bp
from portal.accounts import services as account_services
from portal.accounts.mfa import services as mfa
from portal.accounts.mfa.forms import ConfirmTotpForm, SecondFactorForm
from portal.accounts.passkeys import second_factor as passkey_second_factor
from portal.accounts.passkeys.forms import login_form as passkey_login_form
from portal.accounts.passkeys.services import has_passkey
from portal.accounts.sessions import (
    PENDING_LOGIN_KEY,
    forget_pending_login,
    passed_second_factor,
    pending_login,
    session_second_factor,
    start_session,
)
from portal.core.forms import ButtonForm, press_button, safe_next, save_form_and_show
from portal.core.i18n import _l
from portal.extensions import db, limiter

# How the second step was passed when it was a passkey (`start_session`'s second factor).
PASSKEY = "passkey"
# What a person held at enrolment may still open: the enrolment itself, logging out, and what
# needs no login (static files, health checks).
OPEN_DURING_ENROLMENT = frozenset(
    {
        "static",
        "accounts.logout",
        "accounts.two_factor",
        "accounts.start_totp",
        "accounts.confirm_totp",
        "main.healthz",
        "main.readyz",
        "main.favicon",
    }
)


def second_step_key() -> str:
    """Failed codes are counted per half-logged-in account, as failed passwords per address."""
    pending = session.get(PENDING_LOGIN_KEY)
    uid = pending.get("uid") if isinstance(pending, dict) else None
    return f"second-factor:{uid}"


def second_step_failed(response) -> bool:
    return bool(g.get("second_step_failed"))


def login_limit() -> str:
    """As many wrong codes as wrong passwords from one address to one account."""
    return current_app.config["LOGIN_FAILURE_LIMIT_ACCOUNT_ADDRESS"]


@bp.route("/logga-in/kod", methods=["GET", "POST"])
@limiter.limit(
    login_limit, key_func=second_step_key, methods=["POST"], deduct_when=second_step_failed
)
def second_factor():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    pending = pending_login()
    if pending is None:
        forget_pending_login()
        flash(str(_l("Logga in med e-postadress och lösenord först.")), "info")
        return redirect(url_for("accounts.login"))
    user, destination = pending
    form = SecondFactorForm()

    def log_in() -> str:
        method = mfa.pass_second_factor(user, form.code.data)
        account_services.record_login(user)
        start_session(user, method)
        return method

    def logged_in(method: str):
        if method == mfa.RECOVERY_CODE:
            flash(
                str(
                    _l(
                        "Du loggade in med en reservkod, som nu är förbrukad. Du har %(n)d kvar.",
                        n=mfa.unused_recovery_code_count(user),
                    )
                ),
                "info",
            )
        return redirect(safe_next(destination, url_for("main.index")))

    response = save_form_and_show(form, log_in, logged_in)
    if response is not None:
        return response
    if request.method == "POST":
        g.second_step_failed = True
    return _second_step_page(user, form, passkey_login_form(formdata=None))


def _second_step_page(user, form: SecondFactorForm, passkey_form):
    return render_template(
        "accounts/second_factor.html",
        form=form,
        passkey_form=passkey_form,
        offer_passkey=has_passkey(user),
        cancel=ButtonForm(),
    )


@bp.route("/logga-in/kod/passkey/alternativ", methods=["POST"])
def second_factor_passkey_options():
    """The options for a passkey of the person the password named, and no one else's."""
    pending = pending_login()
    if pending is None:
        return redirect(url_for("accounts.login"))
    return passkey_second_factor.options_response(pending[0])


@bp.route("/logga-in/kod/passkey", methods=["POST"])
@limiter.limit(
    login_limit, key_func=second_step_key, methods=["POST"], deduct_when=second_step_failed
)
def second_factor_passkey():
    """A passkey of the person as the second step; a wrong one counts as a wrong code."""
    pending = pending_login()
    if pending is None:
        return redirect(url_for("accounts.login"))
    user, destination = pending
    passkey_form = passkey_login_form()
    if passkey_form.validate_on_submit() and passkey_second_factor.passed(
        user, passkey_form.credential.data
    ):
        account_services.record_login(user)
        start_session(user, PASSKEY)
        db.session.commit()
        return redirect(safe_next(destination, url_for("main.index")))
    db.session.rollback()
    g.second_step_failed = True
    passkey_form.form_errors.append(
        str(_l("Passkeyn kunde inte kontrolleras. Försök igen, eller skriv en kod."))
    )
    return _second_step_page(user, SecondFactorForm(formdata=None), passkey_form)


@bp.route("/logga-in/avbryt", methods=["POST"])
def cancel_login():
    """Leave the second step; the login starts again from the password."""
    return press_button(forget_pending_login, None, url_for("accounts.login"))


@bp.route("/profil/tvastegsverifiering")
@login_required
def two_factor():
    return _two_factor_page(ConfirmTotpForm())


def _two_factor_page(confirm_form: ConfirmTotpForm, button: ButtonForm | None = None):
    user = current_user._get_current_object()
    factor = mfa.totp_factor(user)
    pending = factor is not None and factor.confirmed_at is None
    errors = button.form_errors if button is not None else []
    return render_template(
        "accounts/two_factor.html",
        factor=factor,
        enabled=factor is not None and factor.confirmed_at is not None,
        pending=pending,
        qr_code=mfa.qr_code_svg(user, factor) if pending else None,
        secret=mfa.readable_secret(factor) if pending else None,
        required=mfa.second_factor_required(user),
        held=session_second_factor() == mfa.NO_SECOND_FACTOR and mfa.must_enrol(user),
        unused_codes=mfa.unused_recovery_code_count(user),
        form=confirm_form,
        errors=errors,
    )


@bp.route("/profil/tvastegsverifiering/ny-nyckel", methods=["POST"])
@login_required
def start_totp():
    """A new secret for the app, shown on the page; it is on only once a code confirms it."""
    user = current_user._get_current_object()
    return press_button(
        lambda: mfa.start_totp(user),
        None,
        url_for("accounts.two_factor"),
        refused=lambda error: _refused(error),
    )


def _refused(error):
    button = ButtonForm()
    button.form_errors.append(str(error.message))
    return _two_factor_page(ConfirmTotpForm(formdata=None), button)


@bp.route("/profil/tvastegsverifiering/bekrafta", methods=["POST"])
@login_required
def confirm_totp():
    user = current_user._get_current_object()
    form = ConfirmTotpForm()

    def turned_on(codes: list[str]):
        passed_second_factor(mfa.TOTP)
        return render_template("accounts/recovery_codes.html", codes=codes, first_time=True)

    response = save_form_and_show(form, lambda: mfa.confirm_totp(user, form.code.data), turned_on)
    return response or _two_factor_page(form)


@bp.route("/profil/tvastegsverifiering/reservkoder", methods=["POST"])
@login_required
def renew_recovery_codes():
    """Ten new recovery codes, shown once in the answer; the old ones stop working."""
    user = current_user._get_current_object()
    button = ButtonForm()
    response = save_form_and_show(
        button,
        lambda: mfa.renew_recovery_codes(user),
        lambda codes: render_template(
            "accounts/recovery_codes.html", codes=codes, first_time=False
        ),
    )
    if response is not None:
        return response
    if not button.form_errors:  # no valid CSRF token
        abort(400)
    return _two_factor_page(ConfirmTotpForm(formdata=None), button)


@bp.before_app_request
def hold_at_enrolment():
    """A person whose role must have a second factor, logged in without one, reaches nothing
    but the enrolment (and logging out) until it is done."""
    if request.endpoint in OPEN_DURING_ENROLMENT or not current_user.is_authenticated:
        return None
    if session_second_factor() != mfa.NO_SECOND_FACTOR or not mfa.must_enrol(current_user):
        return None
    return redirect(url_for("accounts.two_factor"))
