"""Accounts: login, invitations, password reset, profile; admin pages for users and orgs."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

from portal.accounts import routes, sessions  # noqa: E402,F401
from portal.accounts.mfa import routes as mfa_routes  # noqa: E402,F401
