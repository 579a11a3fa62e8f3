"""The demo's one account per role (regions/demo/accounts.toml)."""

from typing import Any

from sqlalchemy import select

from portal.accounts.mfa.services import set_known_totp, totp_factor
from portal.accounts.models import Organisation, User
from portal.accounts.passwords import hash_password
from portal.demo.datafiles import read
from portal.extensions import db


def demo_users() -> list[dict[str, Any]]:
    """The demo accounts as the data has them: email, name, role, organisation, password and,
    for the roles that must have a second factor, the key of their authenticator app."""
    return read("accounts")["users"]


def demo_email(role: str) -> str:
    return next(user["email"] for user in demo_users() if user["role"] == role)


def load_users(organisations: dict[str, Organisation]) -> None:
    """The demo accounts; an account that exists is left as it is, but gets its app's key if it
    has no second factor yet (a demo database from before the second factor)."""
    for spec in demo_users():
        user = db.session.scalar(select(User).where(User.email == spec["email"]))
        if user is None:
            user = User(
                email=spec["email"],
                name=spec["name"],
                role=spec["role"],
                organisation=organisations[spec["organisation"]],
                password_hash=hash_password(spec["password"]),
            )
            db.session.add(user)
        if spec.get("totp_secret") and totp_factor(user) is None:
            set_known_totp(user, spec["totp_secret"])
