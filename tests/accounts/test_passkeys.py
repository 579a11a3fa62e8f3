"""Passkeys at the service level: registering one, logging in with it, and a passkey as the
second factor after the password, checked on real signatures (tests/accounts/authenticator.py).
"""

import json

import pytest
from sqlalchemy import select

from portal.accounts.models import Passkey
from portal.accounts.passkeys import second_factor, services
from portal.accounts.passkeys.services import Expected
from portal.core.audit import AuditEntry
from portal.core.errors import PermissionDenied, ValidationError
from portal.extensions import db
from tests.accounts.authenticator import Authenticator
from tests.factories import make_user

RP_ID = "localhost"
ORIGIN = "http://localhost"


def expected(options: services.Options) -> Expected:
    return Expected(options.challenge, RP_ID, ORIGIN, options.user_handle)


def register(user, authenticator=None, name="Jobbdatorn") -> tuple[Passkey, Authenticator]:
    authenticator = authenticator or Authenticator()
    options = services.registration_options(user, RP_ID)
    passkey = services.register_passkey(
        user, name, authenticator.register(options.json), expected(options)
    )
    return passkey, authenticator


def log_in(authenticator, **answer):
    options = services.login_options(RP_ID)
    return services.user_for_passkey_login(
        authenticator.sign_in(options.json, **answer), expected(options)
    )


def test_registered_passkey_is_kept_with_its_name_key_and_transports(app):
    user = make_user(name="Karin Holm")
    passkey, authenticator = register(user, name="  Mobilen   i fickan ")
    db.session.commit()
    row = db.session.scalar(select(Passkey).where(Passkey.user_id == user.id))
    assert row.name == "Mobilen i fickan"
    assert row.credential_id == passkey.credential_id
    assert row.public_key and row.sign_count == 0 and row.last_used_at is None
    assert row.transport_list == ["internal", "hybrid"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity == "passkey"))
    assert (entry.action, entry.actor_id) == ("create", user.id)


def test_registration_options_ask_for_a_discoverable_passkey_with_verification(app):
    user = make_user(email="karin@kramfors.example", name="Karin Holm")
    first, _ = register(user)
    options = json.loads(services.registration_options(user, RP_ID).json)
    assert options["rp"]["id"] == RP_ID
    assert options["user"]["name"] == "karin@kramfors.example"
    assert options["user"]["id"] == first.user_handle  # the same handle for every passkey
    assert options["authenticatorSelection"]["residentKey"] == "required"
    assert options["authenticatorSelection"]["userVerification"] == "required"
    assert [c["id"] for c in options["excludeCredentials"]] == [first.credential_id]


def test_two_people_get_different_random_user_handles(app):
    first, _ = register(make_user())
    second, _ = register(make_user())
    assert first.user_handle != second.user_handle
    assert len(first.user_handle) == 43  # 32 random bytes, not the id or the email


def test_registration_made_on_another_site_is_refused(app):
    user = make_user()
    options = services.registration_options(user, RP_ID)
    answer = Authenticator().register(options.json, origin="https://phishing.example")
    with pytest.raises(ValidationError) as refused:
        services.register_passkey(user, "Jobbdatorn", answer, expected(options))
    assert refused.value.field == "name"
    assert "kunde inte registreras" in str(refused.value.message)
    assert db.session.scalar(select(Passkey)) is None


def test_registration_without_user_verification_is_refused(app):
    user = make_user()
    options = services.registration_options(user, RP_ID)
    answer = Authenticator(user_verified=False).register(options.json)
    with pytest.raises(ValidationError):
        services.register_passkey(user, "Nyckel utan pinkod", answer, expected(options))


def test_registration_answering_another_challenge_is_refused(app):
    user = make_user()
    first = services.registration_options(user, RP_ID)
    second = services.registration_options(user, RP_ID)
    with pytest.raises(ValidationError):
        services.register_passkey(
            user, "Jobbdatorn", Authenticator().register(first.json), expected(second)
        )


def test_registration_after_the_challenge_is_gone_says_try_again(app):
    user = make_user()
    options = services.registration_options(user, RP_ID)
    with pytest.raises(ValidationError) as refused:
        services.register_passkey(user, "Jobbdatorn", Authenticator().register(options.json), None)
    assert "Försök igen" in str(refused.value.message)


def test_registration_needs_a_name(app):
    user = make_user()
    options = services.registration_options(user, RP_ID)
    with pytest.raises(ValidationError) as refused:
        services.register_passkey(
            user, "   ", Authenticator().register(options.json), expected(options)
        )
    assert refused.value.field == "name"
    assert "Ge passkeyn ett namn" in str(refused.value.message)


def test_the_same_passkey_cannot_be_registered_twice(app):
    user = make_user()
    _, authenticator = register(user)
    with pytest.raises(ValidationError) as refused:
        register(make_user(), authenticator)
    assert "redan registrerad" in str(refused.value.message)


@pytest.mark.parametrize(
    "answer", ["", "inte json", "{}", '{"rawId": 5}', '{"id": "x", "rawId": "x", "response": 3}']
)
def test_malformed_answers_are_refused_not_an_error_page(app, answer):
    user = make_user()
    register(user)
    options = services.login_options(RP_ID)
    assert services.user_for_passkey_login(answer, expected(options)) is None
    assert services.verify_assertion(user, answer, expected(options)) is False
    registration = services.registration_options(user, RP_ID)
    with pytest.raises(ValidationError):
        services.register_passkey(user, "Trasig", answer, expected(registration))


def test_passkey_login_finds_the_person_and_remembers_the_use(app):
    user = make_user(name="Karin Holm")
    passkey, authenticator = register(user)
    assert log_in(authenticator) == user
    assert passkey.sign_count == 1
    assert passkey.last_used_at is not None


def test_login_options_name_no_account(app):
    register(make_user())
    options = json.loads(services.login_options(RP_ID).json)
    assert options["userVerification"] == "required"
    assert options.get("allowCredentials", []) == []


def test_passkey_login_without_user_verification_is_refused(app):
    _, authenticator = register(make_user())
    authenticator.user_verified = False
    assert log_in(authenticator) is None


def test_passkey_login_from_another_site_is_refused(app):
    _, authenticator = register(make_user())
    assert log_in(authenticator, origin="https://phishing.example") is None


def test_passkey_login_answering_another_challenge_is_refused(app):
    _, authenticator = register(make_user())
    first = services.login_options(RP_ID)
    second = services.login_options(RP_ID)
    assert (
        services.user_for_passkey_login(authenticator.sign_in(first.json), expected(second)) is None
    )


def test_passkey_login_without_a_kept_challenge_is_refused(app):
    _, authenticator = register(make_user())
    options = services.login_options(RP_ID)
    assert services.user_for_passkey_login(authenticator.sign_in(options.json), None) is None


def test_a_cloned_passkey_with_an_old_counter_is_refused(app):
    _, authenticator = register(make_user())
    assert log_in(authenticator) is not None
    assert log_in(authenticator, count_up=False) is None


def test_an_unknown_passkey_logs_nobody_in(app):
    register(make_user())
    assert log_in(Authenticator(user_handle=b"x" * 32)) is None


def test_a_deactivated_person_cannot_log_in_with_a_passkey(app):
    user = make_user()
    _, authenticator = register(user)
    user.active = False
    assert log_in(authenticator) is None


def test_a_passkey_whose_user_handle_does_not_match_is_refused(app):
    _, authenticator = register(make_user())
    authenticator.user_handle = b"someone else entirely, 32 bytes"
    assert log_in(authenticator) is None


def test_passkey_as_second_factor_after_the_password(app):
    user = make_user()
    passkey, authenticator = register(user)
    options = services.second_factor_options(user, RP_ID)
    listed = json.loads(options.json)["allowCredentials"]
    assert [c["id"] for c in listed] == [passkey.credential_id]
    assert services.has_passkey(user)
    assert services.verify_assertion(user, authenticator.sign_in(options.json), expected(options))
    assert passkey.sign_count == 1


def test_second_factor_needs_no_pin_on_the_key(app):
    user = make_user()
    _, authenticator = register(user)
    authenticator.user_verified = False
    options = services.second_factor_options(user, RP_ID)
    assert services.verify_assertion(user, authenticator.sign_in(options.json), expected(options))


def test_someone_elses_passkey_is_no_second_factor(app):
    owner, intruder = make_user(), make_user()
    register(intruder)
    _, authenticator = register(owner)
    options = services.second_factor_options(intruder, RP_ID)
    answer = authenticator.sign_in(options.json)
    assert not services.verify_assertion(intruder, answer, expected(options))


def test_second_factor_refuses_a_replayed_or_foreign_answer(app):
    user = make_user()
    _, authenticator = register(user)
    first = services.second_factor_options(user, RP_ID)
    answer = authenticator.sign_in(first.json)
    assert services.verify_assertion(user, answer, expected(first))
    assert not services.verify_assertion(user, answer, expected(first))  # the counter moved on
    second = services.second_factor_options(user, RP_ID)
    assert not services.verify_assertion(user, answer, expected(second))
    assert not services.verify_assertion(user, authenticator.sign_in(second.json), None)
    assert not services.has_passkey(make_user())


def test_a_person_removes_their_passkey_and_it_no_longer_logs_in(app):
    user = make_user()
    passkey, authenticator = register(user)
    services.remove_passkey(user, passkey)
    db.session.flush()
    assert services.passkeys_of(user) == []
    assert log_in(authenticator) is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "delete"))
    assert (entry.entity, entry.changes) == ("passkey", {"name": ["Jobbdatorn", None]})


def test_nobody_removes_someone_elses_passkey(app):
    passkey, _ = register(make_user())
    with pytest.raises(PermissionDenied):
        services.remove_passkey(make_user(role="admin"), passkey)


def test_second_factor_step_takes_the_persons_passkey_once(app):
    user = make_user()
    _, authenticator = register(user)
    with app.test_request_context("/logga-in", base_url=ORIGIN):
        response = second_factor.options_response(user)
        assert response.headers["Cache-Control"] == "no-store"
        answer = authenticator.sign_in(response.get_data(as_text=True))
        assert second_factor.passed(user, answer)
        assert not second_factor.passed(user, answer)  # the challenge is used up


def test_second_factor_options_fetched_for_one_person_pass_nobody_else(app):
    owner, other = make_user(), make_user()
    _, authenticator = register(owner)
    register(other)
    with app.test_request_context("/logga-in", base_url=ORIGIN):
        answer = authenticator.sign_in(second_factor.options_response(other).get_data(as_text=True))
        assert not second_factor.passed(owner, answer)
