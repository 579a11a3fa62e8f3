"""Funders and the people there who receive the projects' reports (Kulturrådet's handläggare,
the region's culture officer …). A funder is an organisation of the kind "funder", or any
organisation that has granted a project money. A report goes to the funder's contacts who
receive reports and have an email address.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import email_validator
from sqlalchemy import func, or_, select

from portal.accounts.models import Organisation, User
from portal.core import audit
from portal.core.errors import ValidationError
from portal.core.i18n import _l
from portal.extensions import db
from portal.projects.models import FunderContact, Grant

log = logging.getLogger(__name__)

CONTACT_FIELDS = ["name", "email", "role", "phone", "receives_reports"]


# --- Reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FunderRow:
    id: int
    name: str
    kind: str
    grant_count: int
    contact_count: int
    recipient_count: int


def _is_funder():
    """Of the kind "funder", or named as the funder of a grant."""
    granted = select(Grant.id).where(Grant.funder_id == Organisation.id).exists()
    return or_(Organisation.kind == "funder", granted)


def funders() -> list[FunderRow]:
    """Every funder with its number of grants, contacts and report recipients (three counts,
    one statement)."""
    grant_count = (
        select(func.count(Grant.id)).where(Grant.funder_id == Organisation.id).scalar_subquery()
    )
    contact_count = (
        select(func.count(FunderContact.id))
        .where(FunderContact.organisation_id == Organisation.id)
        .scalar_subquery()
    )
    recipient_count = (
        select(func.count(FunderContact.id))
        .where(
            FunderContact.organisation_id == Organisation.id,
            FunderContact.receives_reports.is_(True),
            FunderContact.email != "",
        )
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(
            Organisation.id,
            Organisation.name,
            Organisation.kind,
            grant_count.label("grants"),
            contact_count.label("contacts"),
            recipient_count.label("recipients"),
        )
        .where(_is_funder())
        .order_by(Organisation.name)
    )
    return [
        FunderRow(
            id=row.id,
            name=row.name,
            kind=row.kind,
            grant_count=row.grants,
            contact_count=row.contacts,
            recipient_count=row.recipients,
        )
        for row in rows
    ]


def funder_by_id(organisation_id: int) -> Organisation | None:
    """The organisation if it is a funder; another organisation is not found."""
    return db.session.scalar(
        select(Organisation).where(Organisation.id == organisation_id, _is_funder())
    )


def contacts_of(funder: Organisation) -> list[FunderContact]:
    return db.session.scalars(
        select(FunderContact)
        .where(FunderContact.organisation_id == funder.id)
        .order_by(FunderContact.name, FunderContact.id)
    ).all()


def contact_of(funder: Organisation, contact_id: int) -> FunderContact | None:
    return db.session.scalar(
        select(FunderContact).where(
            FunderContact.id == contact_id, FunderContact.organisation_id == funder.id
        )
    )


def recipients_for_grant(grant: Grant) -> list[FunderContact]:
    """The grant's funder's contacts who receive reports and have an email address."""
    return db.session.scalars(
        select(FunderContact)
        .where(
            FunderContact.organisation_id == grant.funder_id,
            FunderContact.receives_reports.is_(True),
            FunderContact.email != "",
        )
        .order_by(FunderContact.name, FunderContact.id)
    ).all()


# --- Changing ------------------------------------------------------------------------------


def _email(address: str | None) -> str:
    address = (address or "").strip()
    if not address:
        raise ValidationError(
            _l("Fyll i kontaktpersonens e-postadress: rapporterna skickas dit."), field="email"
        )
    if any(char in address for char in "\r\n,;") or len(address) > 254:
        raise ValidationError(_invalid_email(), field="email")
    try:
        return email_validator.validate_email(address, check_deliverability=False).normalized
    except email_validator.EmailNotValidError as error:
        raise ValidationError(_invalid_email(), field="email") from error


def _invalid_email():
    return _l("Ange en giltig e-postadress, till exempel namn@kulturradet.se.")


def save_contact(
    actor: User,
    funder: Organisation,
    contact: FunderContact | None,
    *,
    name: str,
    email: str,
    role: str = "",
    phone: str = "",
    receives_reports: bool = True,
) -> FunderContact:
    """Create or change one of a funder's contacts; the email address is required."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(_l("Fyll i kontaktpersonens namn."), field="name")
    values = {
        "name": name,
        "email": _email(email),
        "role": (role or "").strip(),
        "phone": (phone or "").strip(),
        "receives_reports": bool(receives_reports),
    }
    is_new = contact is None
    before = {} if is_new else audit.snapshot(contact, CONTACT_FIELDS)
    if is_new:
        contact = FunderContact(organisation=funder)
        db.session.add(contact)
    for field, value in values.items():
        setattr(contact, field, value)
    db.session.flush()
    audit.record(
        actor,
        None,
        "create" if is_new else "update",
        "funder_contact",
        contact.id,
        audit.changes_between(before, audit.snapshot(contact, CONTACT_FIELDS)),
    )
    return contact


def delete_contact(actor: User, contact: FunderContact) -> None:
    before = audit.snapshot(contact, CONTACT_FIELDS)
    audit.record(
        actor, None, "delete", "funder_contact", contact.id, audit.changes_between({}, before)
    )
    log.info("Funder contact %r deleted by %s", contact.name, getattr(actor, "email", None))
    db.session.delete(contact)
