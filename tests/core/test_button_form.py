"""The one form of every delete, remove and restore button (it carries only the CSRF token),
and the one way a button or a form changes something: commit, or roll back and say why."""

import pytest
from flask import get_flashed_messages
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from portal.accounts.models import Organisation
from portal.core import errors
from portal.core.forms import ButtonForm, press_button, save_form
from portal.extensions import db


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


def _kramfors():
    db.session.add(Organisation(name="Kramfors bibliotek", kind="municipal_library"))


def _organisations() -> list[str]:
    return db.session.scalars(select(Organisation.name)).all()


def test_a_pressed_button_commits_says_it_and_redirects(app):
    with app.test_request_context(method="POST"):
        response = press_button(lambda: _kramfors(), "Sparat.", "/tillbaka")
        assert response.status_code == 302
        assert response.location == "/tillbaka"
        assert get_flashed_messages() == ["Sparat."]
    db.session.rollback()
    assert _organisations() == ["Kramfors bibliotek"]


def test_a_refused_button_rolls_back_and_answers_with_the_refusal(app):
    def refuse():
        _kramfors()
        db.session.flush()
        raise errors.ValidationError("Mappen är inte tom.")

    with app.test_request_context(method="POST"):
        answer = press_button(refuse, "Sparat.", "/tillbaka", lambda error: (str(error), 400))
    assert answer == ("Mappen är inte tom.", 400)
    assert _organisations() == []


def test_a_save_that_fails_in_any_other_way_leaves_nothing_pending(app):
    def fail():
        _kramfors()
        raise OSError("disk full")

    with app.test_request_context(method="POST", data={"submit": "Spara"}):
        with pytest.raises(OSError):
            save_form(ButtonForm(), fail, "Sparat.", "/tillbaka")
        assert not db.session.new
    assert _organisations() == []
