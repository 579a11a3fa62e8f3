"""The person's own data ("Mina uppgifter", under the profile) and an admin's erasure of an
account (under the admin pages)."""

import tempfile

from flask import render_template, send_file, url_for
from flask_login import current_user, login_required

from portal.accounts.models import User
from portal.core.forms import save_form
from portal.core.i18n import _l
from portal.core.permissions import require_role
from portal.extensions import db
from portal.privacy import bp, erasure, export
from portal.privacy.forms import EraseUserForm

# An archive up to this size is built in memory, a bigger one in a temporary file.
SPOOL_IN_MEMORY_BYTES = 8 * 1024 * 1024


@bp.route("/profil/mina-uppgifter")
@login_required
def my_data():
    return render_template("privacy/my_data.html")


@bp.route("/profil/mina-uppgifter/hamta")
@login_required
def download_my_data():
    """The zip, spooled to a temporary file once it outgrows memory; send_file streams it
    and closes (so deletes) the file when the response is done."""
    # Not a `with`: the response reads the file after the view has returned.
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY_BYTES)  # noqa: SIM115
    try:
        export.write_archive(current_user, spool)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return send_file(
        spool,
        mimetype="application/zip",
        as_attachment=True,
        download_name=export.archive_name(current_user),
        max_age=0,
    )


@bp.route("/admin/anvandare/<id:user_id>/radera", methods=["GET", "POST"])
@require_role("admin")
def erase_user(user_id: int):
    person = db.get_or_404(User, user_id)
    form = EraseUserForm()
    response = save_form(
        form,
        lambda: erasure.erase_user(current_user, person),
        _l("Kontots personuppgifter är raderade."),
        url_for("admin.user", user_id=person.id),
    )
    return response or render_template(
        "privacy/erase_user.html", person=person, form=form, erased=erasure.is_erased(person)
    )
