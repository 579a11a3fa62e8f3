"""Personal access tokens on the profile: make one (its secret is shown on the page that
answers, once, and never stored), revoke one."""

from flask import abort, url_for
from flask_login import current_user, login_required

from portal.accounts import bp
from portal.accounts.api_tokens import services
from portal.accounts.api_tokens.forms import api_token_form
from portal.accounts.api_tokens.models import ApiToken
from portal.accounts.passkeys.routes import render_profile
from portal.core.errors import ValidationError
from portal.core.forms import press_button, show_error
from portal.core.i18n import _l
from portal.extensions import db


@bp.route("/profil/api-nycklar", methods=["POST"])
@login_required
def create_api_token():
    """Answered with the profile itself rather than a redirect: the secret must reach the
    page, and nothing between the two requests (the session cookie) may hold it."""
    user = current_user._get_current_object()
    form = api_token_form()
    if form.validate_on_submit():
        try:
            made = services.create_token(
                user, form.name.data, form.chosen_expiry(services.swedish_today())
            )
            db.session.commit()
        except ValidationError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            return render_profile(new_api_token=made)
    return render_profile(api_token_form=form)


@bp.route("/profil/api-nycklar/<id:token_id>/aterkalla", methods=["POST"])
@login_required
def revoke_api_token(token_id: int):
    token = db.get_or_404(ApiToken, token_id)
    if token.user_id != current_user.id:
        abort(403)
    return press_button(
        lambda: services.revoke_token(current_user._get_current_object(), token),
        _l("Nyckeln är återkallad och fungerar inte längre."),
        url_for("accounts.profile", _anchor="api-nycklar"),
    )
