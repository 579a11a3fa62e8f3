"""Numbers, money and percentages: one rule each, through Babel, Swedish by default with the
non-breaking space Babel puts between thousands."""

from decimal import Decimal

import pytest
from flask_babel import force_locale

from portal.core.money import parse_money
from portal.core.numbers import (
    amount_for_form,
    format_file_size,
    format_money,
    format_number,
    format_percent,
)

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("12345.50"), f"12{NBSP}345,5"),
        (Decimal("400.00"), "400"),
        (Decimal("12.25"), "12,25"),
        (12345, f"12{NBSP}345"),
        (None, "–"),
    ],
)
def test_a_number_shows_at_most_two_decimals_and_no_trailing_zeros(app, value, shown):
    assert format_number(value) == shown


@pytest.mark.parametrize(
    ("ore", "shown"),
    [
        (600_000_00, f"600{NBSP}000{NBSP}kr"),
        (1_000_50, f"1{NBSP}000,50{NBSP}kr"),
        (12_345_50, f"12{NBSP}345,50{NBSP}kr"),
        (0, f"0{NBSP}kr"),
        (None, "–"),
    ],
)
def test_money_is_whole_kronor_or_kronor_and_ore_never_one_decimal(app, ore, shown):
    assert format_money(ore) == shown


def test_a_negative_amount_keeps_its_sign(app):
    assert format_money(-2_500_00) == f"-2{NBSP}500{NBSP}kr"


def test_a_share_is_a_whole_percentage(app):
    assert format_percent(Decimal("0.455")) == f"46{NBSP}%"
    assert format_percent(None) == "–"


def test_an_english_page_shows_numbers_the_english_way(app):
    with app.test_request_context(), force_locale("en"):
        assert format_number(Decimal("12345.5")) == "12,345.5"
        assert format_percent(Decimal("0.45")) == "45%"
        assert format_money(1_380_000_00) == "SEK\u00a01,380,000"
        assert format_money(1_000_50) == "SEK\u00a01,000.50"
        assert format_money(-2_500_00) == "-SEK\u00a02,500"


def test_an_amount_put_back_in_a_form_is_read_back_the_same_in_any_language(app):
    for ore in (600_000_00, 1_000_50):
        with app.test_request_context(), force_locale("en"):
            typed = amount_for_form(ore)
        assert parse_money(typed) == ore


@pytest.mark.parametrize(
    ("size", "shown"),
    [(512, "512 B"), (2_048, "2 kB"), (1_234_567, "1,2 MB"), (2 * 2**20, "2,0 MB")],
)
def test_a_file_size_is_bytes_kilobytes_or_megabytes_with_one_decimal(app, size, shown):
    assert format_file_size(size) == shown
