"""Comparing whole pages between requests."""

import re


def without_csrf_tokens(page: str) -> str:
    """CSRF tokens differ per session and carry the second they were signed in; the rest of a
    page built from the same data is the same."""
    return re.sub(r'name="csrf_token" value="[^"]+"', "", page)
