"""The search page, `/sok?q=…&sida=…`, reached from the box in every page's header."""

from flask import render_template, request
from flask_login import current_user, login_required

from portal.core.ids import parse_id
from portal.search import bp, services


@bp.route("/sok")
@login_required
def search():
    found = services.search(
        current_user, request.args.get("q"), request.args.get("sida", 1, type=parse_id)
    )
    return render_template("search/results.html", found=found)
