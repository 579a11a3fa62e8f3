import pytest

from portal.accounts.passwords import hash_password, password_problem, verify_password
from tests.factories import LONG_PASSPHRASE


@pytest.mark.parametrize(
    "password",
    [
        "kort-fras",
        "bibliotek2024",
        "Bibliotek2024!",
        "lösenordlösenord",
        "abcdefghijkl",
        "123456789012",
        "x" * 129,
    ],
)
def test_short_long_common_and_obvious_passwords_are_refused(password):
    assert password_problem(password, name="Karin Holm", email="karin@kramfors.example")


def test_password_with_own_name_or_email_is_refused():
    problem = password_problem("holm-karin-sommarstuga-7", "Karin Holm", "k@kramfors.example")
    assert "namn eller din e-postadress" in problem


@pytest.mark.parametrize(
    "password",
    ["tidig vår längs höga kusten", "Älgen går över ån vid Ånge!", "ett två tre fyra fem sex åtta"],
)
def test_long_phrases_with_any_characters_are_accepted(password):
    assert password_problem(password, name="Karin Holm", email="karin@kramfors.example") is None


def test_passphrase_of_128_characters_is_judged_not_refused_for_its_length():
    assert len(LONG_PASSPHRASE) == 128
    assert password_problem(LONG_PASSPHRASE, name="Karin Holm", email="karin@x.example") is None


def test_long_passphrase_that_starts_guessable_is_refused_as_guessable():
    problem = password_problem("ord-" * 32, name="Karin Holm", email="karin@kramfors.example")
    assert "för vanligt eller lätt att gissa" in problem


def test_password_hash_is_argon2_and_verifies():
    hashed = hash_password("tidig vår längs höga kusten")
    assert hashed.startswith("$argon2")
    assert verify_password(hashed, "tidig vår längs höga kusten")
    assert not verify_password(hashed, "tidig vår längs höga kusten!")
