"""The person's own notification settings (/profil/aviseringar) and the one-click unsubscribe
address every notification email carries (/avregistrera/<token>, no login)."""

from flask import Blueprint, render_template, url_for
from flask_login import current_user, login_required

from portal.core.forms import save_form
from portal.core.i18n import _l
from portal.extensions import csrf, db
from portal.notifications import preferences
from portal.notifications.forms import PreferencesForm, UnsubscribeForm

bp = Blueprint("preferences", __name__)


@bp.route("/profil/aviseringar", methods=["GET", "POST"])
@login_required
def settings():
    user = current_user._get_current_object()
    form = PreferencesForm(data=preferences.frequencies_of(user))
    response = save_form(
        form,
        lambda: preferences.save_frequencies(user, form.choices()),
        _l("Dina inställningar för e-post är sparade."),
        url_for("preferences.settings"),
    )
    if response:
        return response
    return render_template(
        "notifications/preferences.html",
        form=form,
        defaults=preferences.defaults_for(user.role),
        frequencies=preferences.FREQUENCIES,
    ), 400 if form.errors else 200


@bp.route("/avregistrera/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str):
    """GET asks for confirmation (mail scanners follow links); POST, from the page or from the
    mail program's one-click button, switches the kinds off."""
    found = preferences.read_unsubscribe_token(token)
    if found is None:
        return render_template("notifications/unsubscribe_invalid.html"), 400
    labels = [preferences.KINDS[kind] for kind in found.kinds]
    form = UnsubscribeForm()
    if form.validate_on_submit():
        preferences.switch_off(found.user, found.kinds)
        db.session.commit()
        return render_template("notifications/unsubscribed.html", labels=labels)
    return render_template("notifications/unsubscribe.html", form=form, labels=labels)
