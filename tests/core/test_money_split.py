"""Sharing an amount among parties (largest remainder) and the one percentage: the parts always
add up to the whole, and a share is rounded once."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.core.money import KRONA, largest_remainder, split_amount
from portal.core.numbers import format_share, share_of

weights = st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=8).filter(
    lambda values: sum(values) > 0
)


def test_a_hundred_kronor_among_three_is_34_33_33_not_33_33_33():
    assert split_amount(100_00, [1, 1, 1]) == [34_00, 33_00, 33_00]


def test_the_audits_total_splits_into_whole_kronor_that_add_up():
    parts = split_amount(2_850_000_00, [1] * 7)
    assert sum(parts) == 2_850_000_00
    assert all(part % KRONA == 0 for part in parts)


def test_ore_in_the_whole_go_to_the_largest_part_only():
    assert split_amount(100_50, [1, 2]) == [33_00, 67_50]


def test_sharing_to_the_ore_when_asked():
    assert split_amount(1_00, [1, 1, 1], unit=1) == [34, 33, 33]


def test_no_weights_to_share_by_is_refused():
    with pytest.raises(ValueError):
        largest_remainder(10, [0, 0])


@settings(max_examples=200)
@given(total=st.integers(min_value=-(10**12), max_value=10**12), weights=weights)
def test_parts_always_add_up_to_the_whole(total, weights):
    parts = largest_remainder(total, weights)
    assert sum(parts) == total
    weight_sum = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        exact = Decimal(total) * weight / weight_sum
        assert abs(part - exact) < 1  # no part is more than one unit from its exact share
        if weight == 0:
            assert part == 0


@settings(max_examples=200)
@given(ore=st.integers(min_value=-(2**31), max_value=2**31), weights=weights)
def test_amounts_split_in_whole_kronor_add_up_to_the_ore(ore, weights):
    parts = split_amount(ore, weights)
    assert sum(parts) == ore
    with_ore = [part for part in parts if part % KRONA]
    assert len(with_ore) <= 1  # only one part carries the öre the whole had
    if ore % KRONA == 0:
        assert not with_ore


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [(150, 400, "38 %"), (148, 400, "37 %"), (1, 3, "33 %"), (2, 3, "67 %"), (5, 0, "–")],
)
def test_a_share_is_rounded_once_half_up(app, part, whole, shown):
    assert format_share(share_of(part, whole)).replace("\u00a0", " ") == shown


@given(
    part=st.decimals(min_value=0, max_value=10**6, places=2),
    whole=st.decimals(min_value=Decimal("0.01"), max_value=10**6, places=2),
)
def test_a_share_is_the_nearest_whole_per_cent(part, whole):
    assert abs(Decimal(share_of(part, whole)) - part * 100 / whole) <= Decimal("0.5")
