"""How often each person hears from the portal, per kind of notification, and `notify`: the one
way every feature tells people that something happened.

A person picks, for each kind (news, project updates, documents in my projects, deadlines),
immediately, in the daily digest, in the weekly digest, or off. Only choices that differ from the
role's default are stored, so changing a default here reaches everyone who never chose.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import and_, case, delete, func, select, update

from portal.accounts.models import User
from portal.core.errors import ValidationError
from portal.core.i18n import _l
from portal.extensions import db
from portal.notifications import outbox
from portal.notifications.models import DigestEntry, NotificationPreference

log = logging.getLogger(__name__)

KINDS = {
    "news": _l("Nyheter"),
    "project_updates": _l("Uppdateringar i projekt jag är med i eller följer"),
    "documents": _l("Nya dokument i mina projekt"),
    "deadlines": _l("Deadlines och påminnelser"),
}
FREQUENCIES = {
    "immediately": _l("Direkt, ett mejl per händelse"),
    "daily": _l("I en daglig sammanfattning"),
    "weekly": _l("I en veckosammanfattning"),
    "off": _l("Av, inga mejl"),
}
DIGEST_FREQUENCIES = ("daily", "weekly")

# Members want to hear about their own projects and deadlines at once and about the rest once a
# day. Staff write most of the news and follow many projects, so news comes weekly for them.
MEMBER_DEFAULTS = {
    "news": "daily",
    "project_updates": "immediately",
    "documents": "daily",
    "deadlines": "immediately",
}
DEFAULTS = {
    "member": MEMBER_DEFAULTS,
    "staff": {**MEMBER_DEFAULTS, "news": "weekly"},
    "admin": {**MEMBER_DEFAULTS, "news": "weekly"},
}

UNSUBSCRIBE_SALT = "unsubscribe"


def defaults_for(role: str) -> dict[str, str]:
    return DEFAULTS.get(role, MEMBER_DEFAULTS)


def frequencies_of(user: User) -> dict[str, str]:
    """Every kind with the user's frequency: their own choice, else the role's default."""
    chosen = dict(
        db.session.execute(
            select(NotificationPreference.kind, NotificationPreference.frequency).where(
                NotificationPreference.user_id == user.id
            )
        ).all()
    )
    defaults = defaults_for(user.role)
    return {kind: chosen.get(kind, defaults[kind]) for kind in KINDS}


def frequency_column(kind: str):
    """SQL for a user's frequency of `kind`; needs an outer join of NotificationPreference on
    (user, kind), as `users_with_frequency` does."""
    by_role = {role: defaults[kind] for role, defaults in DEFAULTS.items()}
    return func.coalesce(
        NotificationPreference.frequency,
        case(by_role, value=User.role, else_=MEMBER_DEFAULTS[kind]),
    )


def users_with_frequency(kind: str, *conditions, columns=None):
    """SELECT `columns` (default: the User) and the frequency of `kind` for active users
    matching `conditions`, in one statement."""
    return (
        select(*(columns or [User]), frequency_column(kind).label("frequency"))
        .select_from(User)
        .outerjoin(
            NotificationPreference,
            and_(NotificationPreference.user_id == User.id, NotificationPreference.kind == kind),
        )
        .where(User.active.is_(True), *conditions)
    )


def save_frequencies(user: User, choices: dict[str, str]) -> None:
    """Store what differs from the role's default, forget what matches it, and move what is
    waiting for a digest along: to the new digest, or away when the kind is switched off."""
    for kind, frequency in choices.items():
        if kind not in KINDS:
            raise ValidationError(_l("Okänd sorts avisering."))
        if frequency not in FREQUENCIES:
            raise ValidationError(_l("Välj hur ofta du vill få mejl om det här."), field=kind)
    current = frequencies_of(user)
    defaults = defaults_for(user.role)
    for kind, frequency in choices.items():
        row = db.session.get(NotificationPreference, (user.id, kind))
        if frequency == defaults[kind]:
            if row is not None:
                db.session.delete(row)
        elif row is None:
            db.session.add(NotificationPreference(user_id=user.id, kind=kind, frequency=frequency))
        else:
            row.frequency = frequency
        if frequency != current[kind]:
            _move_waiting_entries(user, kind, frequency)
    log.info("Notification preferences of %s: %s", user.email, choices)


def _move_waiting_entries(user: User, kind: str, frequency: str) -> None:
    waiting = and_(DigestEntry.user_id == user.id, DigestEntry.kind == kind)
    if frequency == "off":
        db.session.execute(delete(DigestEntry).where(waiting))
    elif frequency in DIGEST_FREQUENCIES:
        db.session.execute(update(DigestEntry).where(waiting).values(frequency=frequency))


def switch_off(user: User, kinds: Iterable[str]) -> None:
    save_frequencies(user, dict.fromkeys(kinds, "off"))


# --- One-click unsubscribe ------------------------------------------------------------------


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(user_id: int, kinds: Iterable[str]) -> str:
    """A signed, non-expiring token naming the person and the kinds the link switches off."""
    return _signer().dumps({"u": user_id, "k": sorted(set(kinds))})


def unsubscribe_url(user_id: int, kinds: Iterable[str]) -> str:
    base = current_app.config["PORTAL_BASE_URL"].rstrip("/")
    return f"{base}/avregistrera/{unsubscribe_token(user_id, kinds)}"


@dataclass
class Unsubscribe:
    user: User
    kinds: list[str]


def read_unsubscribe_token(token: str) -> Unsubscribe | None:
    """The person and kinds of a genuine token; None if it was altered, names an unknown kind
    or a person who is gone."""
    try:
        payload = _signer().loads(token)
    except BadSignature:
        return None
    if not isinstance(payload, dict):
        return None
    kinds, user_id = payload.get("k"), payload.get("u")
    if not isinstance(kinds, list) or not kinds or not isinstance(user_id, int):
        return None
    if any(kind not in KINDS for kind in kinds):
        return None
    user = db.session.get(User, user_id)
    if user is None:
        return None
    return Unsubscribe(user=user, kinds=kinds)


# --- notify() -------------------------------------------------------------------------------


@dataclass
class Notified:
    """What `notify` did: emails queued now, entries waiting for a digest, people who chose off."""

    emailed: int = 0
    digested: int = 0
    skipped: int = 0


def notify(
    users: Iterable[User],
    kind: str,
    template: str,
    subject,
    *,
    link: str,
    summary: str = "",
    **context,
) -> Notified:
    """Tell each user that something happened, the way they asked for `kind`.

    Call it inside the transaction that makes the change; nothing is sent before the commit.

    - "immediately": `email/<template>.html` and `.txt` are queued for the user at once, rendered
      in the user's language with `recipient` (the User), `link`, `unsubscribe_url` and
      `context`. The templates should `{% include "email/_unsubscribe.txt" %}` (or `.html`) at
      the end; the message also gets `List-Unsubscribe` and `List-Unsubscribe-Post` headers.
    - "daily" / "weekly": a DigestEntry (subject rendered in the user's language as its title,
      `summary` a line or two of what happened, in plain text, `link`) waits for the next
      digest.
    - "off": nothing.

    `users` may hold duplicates and inactive users; each active user is told once.
    `kind` is one of KINDS; `subject` may be a lazy string (`_l(...)`).

        notify(recipients, "project_updates", "project_update",
               _l("Ny uppdatering i %(title)s", title=project.title),
               link=link, summary=markdown_excerpt(update.text), project=project, update=update)
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    people = {user.id: user for user in users if user is not None and user.is_active}
    result = Notified()
    if not people:
        return result
    frequencies = dict(
        db.session.execute(users_with_frequency(kind, User.id.in_(people), columns=[User.id])).all()
    )
    for user_id, user in people.items():
        frequency = frequencies.get(user_id, defaults_for(user.role)[kind])
        if frequency == "immediately":
            url = unsubscribe_url(user.id, [kind])
            outbox.queue_email(
                user.email,
                template,
                subject,
                language=user.language,
                list_unsubscribe=url,
                recipient=user,
                link=link,
                unsubscribe_url=url,
                unsubscribe_labels=[KINDS[kind]],
                **context,
            )
            result.emailed += 1
        elif frequency in DIGEST_FREQUENCIES:
            with force_locale(user.language):
                title = outbox.single_line(str(subject))[:300]
            db.session.add(
                DigestEntry(
                    user_id=user.id,
                    kind=kind,
                    frequency=frequency,
                    title=title,
                    summary=summary or "",
                    link=link,
                )
            )
            result.digested += 1
        else:
            result.skipped += 1
    if result.emailed > 1:
        outbox.deliver_queued_in_batches()
    return result
