"""Who is staff: one rule, asked by every feature and by the templates."""

import pytest
from flask_login import AnonymousUserMixin

from portal.accounts.permissions import is_staff
from tests.factories import make_user


@pytest.mark.parametrize(("role", "staff"), [("member", False), ("staff", True), ("admin", True)])
def test_staff_and_admins_are_staff_and_members_are_not(app, role, staff):
    assert is_staff(make_user(role=role)) is staff


def test_a_visitor_who_is_not_logged_in_is_not_staff():
    assert is_staff(AnonymousUserMixin()) is False


def test_templates_ask_the_same_rule(app):
    assert app.jinja_env.globals["is_staff"] is is_staff
