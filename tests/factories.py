"""Small factory functions: each test builds the rows it needs."""

import itertools

from portal.accounts.models import Organisation, User
from portal.accounts.passwords import hash_password
from portal.extensions import db

PASSWORD = "stilla-morgon-vid-ångermanälven"
# As long as a new password may be: 128 characters, longer than zxcvbn judges whole.
LONG_PASSPHRASE = (
    "när isen går i ångermanälven sitter vi på bryggan i kramfors och läser högt "
    "för barnen om björnar, älgar och en båt som seglar!!"
)
_counter = itertools.count(1)


def make_organisation(name: str | None = None, kind: str = "municipal_library", **fields):
    organisation = Organisation(name=name or f"Bibliotek {next(_counter)}", kind=kind, **fields)
    db.session.add(organisation)
    db.session.commit()
    return organisation


def make_user(
    role: str = "member",
    organisation: Organisation | None = None,
    email: str | None = None,
    name: str = "Test Person",
    password: str = PASSWORD,
    **fields,
) -> User:
    user = User(
        email=email or f"user{next(_counter)}@bibliotek.example",
        name=name,
        role=role,
        organisation=organisation,
        password_hash=hash_password(password),
        **fields,
    )
    db.session.add(user)
    db.session.commit()
    return user
