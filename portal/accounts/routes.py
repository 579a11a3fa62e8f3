"""Login, logout, invitations, password reset and the profile page (passkeys: passkeys/)."""

from flask import redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portal.accounts import bp, services
from portal.accounts.forms import (
    ChangePasswordForm,
    LoginForm,
    PasswordResetRequestForm,
    ProfileForm,
    SetPasswordForm,
)
from portal.accounts.login_page import render_login
from portal.accounts.passkeys.routes import render_profile
from portal.accounts.sessions import (
    complete_login,
    current_session_id,
    end_current_session,
    refresh_login,
    start_session,
)
from portal.accounts.throttle import client_address, limit_failed_logins, mark_login_failed
from portal.core.errors import ValidationError
from portal.core.forms import flash_success, safe_next, save_form
from portal.core.i18n import _l
from portal.extensions import db, limiter


@bp.route("/logga-in", methods=["GET", "POST"])
@limit_failed_logins
def login():
    form = LoginForm()
    destination = safe_next(request.args.get("next"), url_for("main.index"))
    if current_user.is_authenticated:
        return redirect(destination)
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user:
            target = complete_login(user, destination)
            db.session.commit()
            return redirect(target)
        mark_login_failed()
        services.record_failed_login(form.email.data, client_address())
        db.session.commit()
        form.form_errors.append(str(_l("Fel e-postadress eller lösenord.")))
    return render_login(form=form)


@bp.route("/logga-ut", methods=["POST"])
@login_required
def logout():
    """Ends this session on the server too: a copy of the cookie no longer opens any page."""
    end_current_session()
    db.session.commit()
    flash_success(_l("Du är utloggad."))
    return redirect(url_for("accounts.login"))


@bp.route("/inbjudan/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    try:
        invitation = services.invitation_for_token(token)
    except ValidationError as error:
        return render_template("accounts/link_invalid.html", message=error.message), 410
    form = SetPasswordForm()
    response = save_form(
        form,
        lambda: start_session(services.accept_invitation(token, form.password.data)),
        _l("Välkommen! Ditt konto är klart."),
        url_for("accounts.profile"),
    )
    return response or render_template(
        "accounts/accept_invitation.html", form=form, invitation=invitation
    )


@bp.route("/glomt-losenord", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def forgot_password():
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        return render_template("accounts/reset_requested.html")
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/aterstall-losenord/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        services.user_for_reset_token(token)
    except ValidationError as error:
        return render_template("accounts/link_invalid.html", message=error.message), 410
    form = SetPasswordForm()
    response = save_form(
        form,
        lambda: services.reset_password(token, form.password.data),
        _l("Ditt lösenord är bytt. Logga in med det nya lösenordet."),
        url_for("accounts.login"),
    )
    return response or render_template("accounts/reset_password.html", form=form)


@bp.route("/profil", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        services.update_profile(
            current_user,
            form.name.data,
            form.title.data or "",
            form.phone.data or "",
            form.language.data,
        )
        db.session.commit()
        flash_success(_l("Profilen är sparad."))
        return redirect(url_for("accounts.profile"))
    return render_profile(form=form)


@bp.route("/profil/losenord", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    user = current_user._get_current_object()
    response = save_form(
        form,
        lambda: services.change_password(
            user, form.current_password.data, form.password.data, current_session_id()
        ),
        _l("Lösenordet är bytt. Dina andra inloggningar har avslutats."),
        url_for("accounts.profile"),
    )
    if response is None:
        return render_template("accounts/change_password.html", form=form)
    refresh_login(user)  # the new session version, now committed: this login stays
    return response


@bp.route("/profil/logga-ut-andra-enheter", methods=["POST"])
@login_required
def end_other_sessions():
    user = current_user._get_current_object()
    services.end_other_sessions(user, current_session_id())
    db.session.commit()
    refresh_login(user)
    flash_success(_l("Du är utloggad från alla andra enheter."))
    return redirect(url_for("accounts.profile"))
