"""Small factory functions: each test builds the rows it needs."""

import itertools
from datetime import timedelta

import pyotp

from portal.accounts import tokens
from portal.accounts.mfa.services import current_step, set_known_totp
from portal.accounts.models import Invitation, Organisation, User
from portal.accounts.passwords import hash_password
from portal.core.dates import utcnow
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


# The authenticator-app secret `give_totp` turns on, so a test can compute the codes.
TOTP_SECRET = "KRUGKIDROVUWG2ZAMJZG653OEBTG66BA"


def give_totp(user: User, secret: str = TOTP_SECRET) -> User:
    """The user with a confirmed authenticator app whose secret the test knows."""
    set_known_totp(user, secret)
    db.session.commit()
    return user


def totp_code(secret: str = TOTP_SECRET, steps_from_now: int = 0) -> str:
    """The app's code now, or that many 30-second steps before (negative) or after."""
    return pyotp.TOTP(secret).generate_otp(current_step() + steps_from_now)


def log_in_through_form(client, user: User, password: str = PASSWORD, code: str | None = None):
    """Both steps of the login form: the password, then (with an app) the app's code."""
    response = client.post("/logga-in", data={"email": user.email, "password": password})
    if response.headers.get("Location", "").startswith("/logga-in/kod"):
        response = client.post("/logga-in/kod", data={"code": code or totp_code()})
    return response


def make_invitation_token(email: str, name: str, role: str = "member") -> str:
    """An invitation valid for a week; returns the token its link carries."""
    token, token_hash = tokens.new_token()
    db.session.add(
        Invitation(
            email=email,
            name=name,
            role=role,
            token_hash=token_hash,
            expires_at=utcnow() + timedelta(days=7),
        )
    )
    db.session.commit()
    return token
