"""The one form of every delete, remove and restore button: it carries only the CSRF token."""

from flask_wtf.csrf import generate_csrf
from werkzeug.datastructures import MultiDict

from portal.core.forms import ButtonForm


def test_button_form_refuses_a_post_without_the_csrf_token(csrf_app):
    with csrf_app.test_request_context(method="POST", data={"submit": "Ta bort"}):
        form = ButtonForm()
        assert not form.validate_on_submit()
        assert list(form.errors) == ["csrf_token"]


def test_button_form_accepts_a_post_with_the_csrf_token(csrf_app):
    """The control for the test above: a button needs nothing but its token."""
    with csrf_app.test_request_context(method="POST"):
        token = generate_csrf()
        assert ButtonForm(formdata=MultiDict({"csrf_token": token})).validate_on_submit()
