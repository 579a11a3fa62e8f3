"""Accounts: login (with a password, a passkey or a municipal account), invitations, password
reset, profile; admin pages for users and orgs."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

from portal.accounts import routes, sessions  # noqa: E402,F401
from portal.accounts.api_tokens import audit_text as api_token_audit_text  # noqa: E402,F401
from portal.accounts.api_tokens import routes as api_token_routes  # noqa: E402,F401
from portal.accounts.mfa import routes as mfa_routes  # noqa: E402,F401
from portal.accounts.passkeys import audit_text  # noqa: E402,F401
from portal.accounts.passkeys import routes as passkey_routes  # noqa: E402,F401
from portal.accounts.sso import audit_text as sso_audit_text  # noqa: E402,F401
from portal.accounts.sso import routes as sso_routes  # noqa: E402,F401
