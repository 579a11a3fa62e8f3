import re

import pytest

from portal.accounts import services
from portal.accounts.passwords import hash_password, password_problem, verify_password
from portal.core.errors import ValidationError
from tests.factories import LONG_PASSPHRASE, PASSWORD, make_organisation

PATTERN = "byggt av en årstid, en månad, en kommun eller ett bibliotek"
COMMON = "finns bland de vanligaste lösenorden och i listor över läckta lösenord"


def refusal(password: str) -> str:
    """Why the portal refuses the password for Karin at Kramfors, with the organisations in
    the database as the portal sees them."""
    with pytest.raises(ValidationError) as refused:
        services.check_password(password, "Karin Holm", "karin@kramfors.example")
    assert refused.value.field == "password"
    return refused.value.message


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


@pytest.mark.parametrize(
    "password", ["Summer2023!!", "Sommar2024!!", "Januari2025!!", "Hösten-2024!"]
)
def test_a_season_or_month_with_a_year_or_symbols_is_refused(app, password):
    assert PATTERN in refusal(password)


def test_the_municipalitys_name_with_a_year_is_refused(app):
    make_organisation("Kramfors bibliotek", municipality_name="Kramfors")
    assert PATTERN in refusal("Kramfors2024!")


def test_a_new_organisations_name_is_refused_once_it_is_in_the_database(app):
    assert password_problem("Ytterlännäs2025!!", "Karin Holm", "karin@kramfors.example") is None
    make_organisation("Ytterlännäs bibliotek")
    assert PATTERN in refusal("Ytterlannas2025!!")
    assert PATTERN in refusal("YtterlännäsBibliotek#1")


@pytest.mark.parametrize(
    "password", ["Bibliotek2024!!", "Lansbiblioteket2024", "Länsbiblioteket!!", "bibliotekmaj2024"]
)
def test_the_librarys_own_words_with_a_year_or_symbols_are_refused(app, password):
    assert PATTERN in refusal(password)


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "Correct-Horse-Battery-Staple!1",
        "the quick brown fox jumps over the lazy dog",
        "qwerty123456",
        "Dragon2024!!!!",
        "Baseball#2024!",
    ],
)
def test_common_breached_and_published_passwords_are_refused(app, password):
    assert COMMON in refusal(password)


@pytest.mark.parametrize(
    "password",
    [
        "kvällssol över sundsvallsbukten i november",
        "Vi läser om vintern i Kramfors för barnen 2024!",
        PASSWORD,
    ],
)
def test_strong_passphrases_with_such_words_among_others_are_accepted(app, password):
    make_organisation("Kramfors bibliotek", municipality_name="Kramfors")
    services.check_password(password, "Karin Holm", "karin@kramfors.example")


def test_a_refused_password_is_explained_next_to_the_password_field(client, login_as):
    login_as("member", name="Karin Holm")
    weak = "Sommar2024!!"
    response = client.post(
        "/profil/losenord", data={"current_password": PASSWORD, "password": weak, "confirm": weak}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    error = re.search(r'<p class="error" id="password-error">(.*?)</p>', page, re.S)
    assert error and PATTERN in error.group(1)
    assert 'aria-describedby="password-hint password-error"' in page
