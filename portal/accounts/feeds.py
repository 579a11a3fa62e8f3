"""Personal feed addresses (the news Atom feed, the calendar's iCal feed): the address carries
a random secret, the database only its hash. A feed reader cannot log in, so the address is the
key; renewing it makes the old one stop working, closing it ends the feed.

The settings pages of every kind work the same way, so their views live here too: the new
address is shown once, on the page the renewal redirects to, then forgotten.
"""

from flask import Blueprint, abort, redirect, render_template, session, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from portal.accounts.models import FEED_KINDS, FeedToken, User
from portal.accounts.tokens import hash_token, new_token
from portal.core.dates import utcnow
from portal.core.forms import ButtonForm, press_button
from portal.extensions import db


def _token_of(user: User, kind: str) -> FeedToken | None:
    if kind not in FEED_KINDS:
        raise ValueError(f"unknown feed kind {kind!r}")
    return db.session.get(FeedToken, (user.id, kind))


def has_feed(user: User, kind: str) -> bool:
    return _token_of(user, kind) is not None


def renew_feed(user: User, kind: str) -> str:
    """A new secret for the user's feed address; the old address stops working."""
    token, token_hash = new_token()
    existing = _token_of(user, kind)
    if existing is None:
        db.session.add(FeedToken(user_id=user.id, kind=kind, token_hash=token_hash))
    else:
        existing.token_hash = token_hash
        existing.created_at = utcnow()
    return token


def close_feed(user: User, kind: str) -> None:
    existing = _token_of(user, kind)
    if existing is not None:
        db.session.delete(existing)


def feed_reader(token: str, kind: str) -> User | None:
    """The active user whose feed address of this kind carries this token."""
    return db.session.scalar(
        select(User)
        .join(FeedToken, FeedToken.user_id == User.id)
        .where(
            FeedToken.kind == kind,
            FeedToken.token_hash == hash_token(token),
            User.active.is_(True),
        )
    )


# --- The settings pages' views --------------------------------------------------------------


def add_feed_settings_routes(bp: Blueprint, kind: str, path: str, template: str, closed_message):
    """The settings page at `path` (GET), renewing (POST to the same path) and closing
    (`path`/stang) for the feed the blueprint serves at its endpoint `feed`; the endpoints are
    named feed_settings, renew_feed and close_feed. The new address is shown once, on the page
    the renewal redirects to, then forgotten."""
    settings_endpoint = f"{bp.name}.feed_settings"
    new_address_key = f"new_feed_address_{kind}"

    def settings_view():
        return render_template(
            template,
            has_feed=has_feed(current_user, kind),
            new_address=session.pop(new_address_key, None),
            renew_form=ButtonForm(formdata=None),
            close_form=ButtonForm(formdata=None),
            renew_url=url_for(f"{bp.name}.renew_feed"),
            close_url=url_for(f"{bp.name}.close_feed"),
        )

    def renew_view():
        if not ButtonForm().validate_on_submit():
            abort(400)
        token = renew_feed(current_user, kind)
        db.session.commit()
        session[new_address_key] = url_for(f"{bp.name}.feed", token=token, _external=True)
        return redirect(url_for(settings_endpoint))

    def close_view():
        return press_button(
            lambda: close_feed(current_user, kind), closed_message, url_for(settings_endpoint)
        )

    bp.add_url_rule(path, "feed_settings", login_required(settings_view))
    bp.add_url_rule(path, "renew_feed", login_required(renew_view), methods=["POST"])
    bp.add_url_rule(f"{path}/stang", "close_feed", login_required(close_view), methods=["POST"])
