"""Personal access tokens for the API tests, made through the service as the profile makes
them."""

from datetime import timedelta

from portal.accounts.api_tokens import services
from portal.extensions import db


def make_token(user, days: int = 30, name: str = "Skript") -> str:
    """A new token's secret for `user`, valid for `days` days."""
    made = services.create_token(user, name, services.swedish_today() + timedelta(days=days))
    db.session.commit()
    return made.secret


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}
