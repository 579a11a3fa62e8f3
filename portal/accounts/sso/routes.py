"""The login with a municipal account (/logga-in/kommunkonto and its callback) and the admin's
page for an organisation's IdP.

The person picks their organisation (a link on the login page); the portal sends them to its IdP
with a fresh state, nonce and PKCE verifier, kept in the (signed) session until the one callback
they are good for. The callback is the same for every organisation: the session says which one
it answers.
"""

import logging
import time
from dataclasses import asdict

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from portal.accounts import bp
from portal.accounts.admin import bp as admin_bp
from portal.accounts.models import Organisation
from portal.accounts.sessions import complete_login
from portal.accounts.sso import client, services
from portal.accounts.sso.forms import IdentityProviderForm
from portal.core.forms import safe_next, save_form
from portal.core.i18n import _l
from portal.core.permissions import require_role
from portal.extensions import db, limiter

log = logging.getLogger(__name__)

PENDING_KEY = "sso_login"
PENDING_SECONDS = 10 * 60
# How the login's second step was passed when the IdP did it (`start_session`).
IDP_MFA = "idp_mfa"
CALLBACK_PATH = "/logga-in/kommunkonto/callback"

NO_LOGIN = _l("Organisationen har ingen inloggning med kommunkonto.")
UNREACHABLE = _l("Det gick inte att nå kommunens inloggning. Försök igen om en stund.")
FAILED = _l(
    "Inloggningen med kommunkonto misslyckades eller har gått ut. Försök igen, eller logga in "
    "med e-post och lösenord."
)


def redirect_uri() -> str:
    """The one address every IdP sends people back to (registered at the IdP)."""
    return current_app.config["PORTAL_BASE_URL"].rstrip("/") + CALLBACK_PATH


def _refused(message):
    """Back to the login page, with the reason: nothing of the login is kept (the callback's
    URL is not one to load again)."""
    db.session.rollback()
    flash(str(message), "error")
    return redirect(url_for("accounts.login"))


@bp.route("/logga-in/kommunkonto/<id:organisation_id>")
@limiter.limit("30 per minute")
def sso_login(organisation_id: int):
    """Off to the organisation's IdP. A GET (a link on the login page), which changes nothing
    but the session's login under way."""
    destination = safe_next(request.args.get("next"), url_for("main.index"))
    if current_user.is_authenticated:
        return redirect(destination)
    provider = services.enabled_provider(organisation_id)
    if provider is None:
        return _refused(NO_LOGIN)
    try:
        url, expected = services.start_login(provider, redirect_uri())
    except client.LoginRefused as error:
        log.warning("Municipal login of %s unreachable: %s", provider.issuer, error.reason)
        return _refused(UNREACHABLE)
    session[PENDING_KEY] = {
        "org": provider.organisation_id,
        "expected": asdict(expected),
        "next": destination,
        "at": int(time.time()),
    }
    return redirect(url)


def _take_pending() -> dict | None:
    """The login the callback answers, used up at once: a second callback finds none."""
    pending = session.pop(PENDING_KEY, None)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    return pending


@bp.route(CALLBACK_PATH)
@limiter.limit("30 per minute")
def sso_callback():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    pending = _take_pending()
    provider = services.enabled_provider(pending["org"]) if pending else None
    if pending is None or provider is None:
        log.warning("Municipal login refused: no login under way in this session")
        return _refused(FAILED)
    expected = client.Expected(**pending["expected"])
    try:
        login = services.finish_login(provider, expected, request.args.to_dict(), redirect_uri())
    except client.LoginRefused as error:
        log.warning("Municipal login at %s refused: %s", provider.issuer, error.reason)
        return _refused(FAILED)
    except services.AccessRefused as error:
        log.warning("Municipal login at %s refused: %s", provider.issuer, error.reason)
        return _refused(error.message)
    target = complete_login(login.user, pending["next"], IDP_MFA if login.multi_factor else None)
    db.session.commit()
    log.info("Municipal login of %s at %s", login.user.email, provider.issuer)
    return redirect(safe_next(target, url_for("main.index")))


@admin_bp.route("/organisationer/<id:organisation_id>/kommunkonto", methods=["GET", "POST"])
@require_role("admin")
def identity_provider(organisation_id: int):
    organisation = db.get_or_404(Organisation, organisation_id)
    saved = services.provider_for(organisation)
    form = IdentityProviderForm(obj=saved)
    response = save_form(
        form,
        lambda: services.save_identity_provider(
            current_user,
            organisation,
            form.issuer.data,
            form.client_id.data,
            form.client_secret.data or "",
            form.allowed_domains.data or "",
            form.enabled.data,
        ),
        _l("Inloggningen med kommunkonto är sparad."),
        url_for("admin.identity_provider", organisation_id=organisation.id),
    )
    return response or render_template(
        "accounts/sso/identity_provider.html",
        form=form,
        organisation=organisation,
        saved=saved,
        redirect_uri=redirect_uri(),
    )
