"""Throttling of failed logins with Flask-Limiter: per (account, address), per address, and a
high per-account backstop, so an attacker is stopped without locking the account's owner out.

Only failures count (`deduct_when`); a limit that is reached answers 429 with the login page and
a Swedish message (`on_breach`). The numbers are in config.py and README.md.
"""

import ipaddress
import math
import time
from collections.abc import Callable

from flask import current_app, g, make_response, render_template, request
from flask_limiter import RequestLimit

from portal.accounts.forms import LoginForm
from portal.accounts.passkeys.forms import login_form as passkey_login_form
from portal.core.i18n import _l
from portal.extensions import limiter


def client_address() -> str:
    """The client's address as ProxyFix leaves it (PROXY_FIX_HOPS trusted proxies). An IPv6
    client is counted by its /64, the block one subscriber usually holds whole."""
    address = request.remote_addr or "unknown"
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def attempted_account() -> str:
    """The email typed in the form, as accounts are looked up: known or not, it is counted the
    same, so the answer does not tell whether the account exists."""
    return (request.form.get("email") or "").strip().lower()


def account_and_address_key() -> str:
    return f"login-failures:account-address:{attempted_account()}|{client_address()}"


def address_key() -> str:
    return f"login-failures:address:{client_address()}"


def account_key() -> str:
    return f"login-failures:account:{attempted_account()}"


def mark_login_failed() -> None:
    """The view calls this on a wrong password: only such responses count toward the limits."""
    g.login_failed = True


def login_failed(response) -> bool:
    return bool(g.get("login_failed"))


def refuse_login(request_limit: RequestLimit):
    """The login page again, with what was typed and how long to wait, answered with 429."""
    seconds = max(1, int(request_limit.reset_at - time.time()))
    form = LoginForm()
    form.form_errors.append(
        str(
            _l(
                "För många misslyckade inloggningar. Försök igen om %(minutes)d min.",
                minutes=math.ceil(seconds / 60),
            )
        )
    )
    page = render_template(
        "accounts/login.html", form=form, passkey_form=passkey_login_form(formdata=None)
    )
    response = make_response(page, 429)
    response.headers["Retry-After"] = str(seconds)
    return response


def _configured(name: str) -> Callable[[], str]:
    return lambda: current_app.config[name]


LIMITS = (
    ("LOGIN_FAILURE_LIMIT_ACCOUNT_ADDRESS", account_and_address_key),
    ("LOGIN_FAILURE_LIMIT_ADDRESS", address_key),
    ("LOGIN_FAILURE_LIMIT_ACCOUNT", account_key),
)


def limit_failed_logins(view):
    """Decorate the login view with the three limits on failed logins."""
    for setting, key_func in LIMITS:
        view = limiter.limit(
            _configured(setting),
            key_func=key_func,
            methods=["POST"],
            deduct_when=login_failed,
            on_breach=refuse_login,
        )(view)
    return view
