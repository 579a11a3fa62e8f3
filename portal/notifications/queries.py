"""Read models of the page "Utskick"."""

from sqlalchemy import func, select

from portal.extensions import db
from portal.notifications.models import OutboundEmail


def emails_handed_over_more_than_once(limit: int = 50) -> tuple[list[OutboundEmail], int]:
    """The emails handed to the SMTP server more than once without being refused, most
    hand-overs first, and how many there are: each may have reached its recipient that many
    times (a crash or a lost status write between the server's reply and the record)."""
    more_than_once = OutboundEmail.handoffs > 1
    total = db.session.scalar(select(func.count()).where(more_than_once))
    rows = db.session.scalars(
        select(OutboundEmail)
        .where(more_than_once)
        .order_by(OutboundEmail.handoffs.desc(), OutboundEmail.created_at.desc())
        .limit(limit)
    ).all()
    return list(rows), total or 0  # COUNT(*) always gives a row
