"""A person's own data (GDPR): "Mina uppgifter", the download of everything the portal holds
about them, and an admin's erasure of an account. It reads every feature's tables, so it sits
in the top layer beside search and statistics."""

from flask import Blueprint

bp = Blueprint("privacy", __name__)

from portal.privacy import routes  # noqa: E402,F401
