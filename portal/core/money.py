"""Money: integer öre in the database, one parser ("1 000,50") and one way to share an amount
among parties (largest remainder, so the parts add up to the whole); portal.core.numbers
shows it."""

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from portal.core.errors import ValidationError
from portal.core.i18n import _l
from portal.core.numbers import format_money

ABSURD_KRONOR = 10**12  # a trillion kronor: anything above is a typing mistake
KRONA = 100  # öre
MAX_ORE = 2**31 - 1  # what the *_ore columns (integer) hold: 21 474 836,47 kr
_SPACES = re.compile(r"[\s\u00a0\u202f]")


def parse_money(text: str, allow_negative: bool = False) -> int:
    """What a person types ("1 000,50", "600 000 kr", "1000.5") → öre; ValidationError if not."""
    cleaned = _SPACES.sub("", text or "").lower().removesuffix("kr").removesuffix(":-")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as error:
        raise ValidationError(_l("Skriv ett belopp i kronor, till exempel 1 000,50.")) from error
    if not amount.is_finite() or abs(amount) >= ABSURD_KRONOR:
        raise ValidationError(_l("Beloppet är orimligt stort."))
    if abs(amount) * 100 > MAX_ORE:
        raise ValidationError(
            _l(
                "Portalen tar emot belopp upp till %(most)s.",
                most=format_money(MAX_ORE // 100 * 100),
            )
        )
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(_l("Skriv ett belopp i kronor med högst två decimaler."))
    ore = int(amount * 100)
    if ore < 0 and not allow_negative:
        raise ValidationError(_l("Beloppet kan inte vara negativt."))
    return ore


def parse_decimal(text: str) -> Decimal:
    """A number typed the Swedish way ("12,5") or the English way ("12.5")."""
    cleaned = _SPACES.sub("", text or "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as error:
        raise ValidationError(_l("Skriv ett tal, till exempel 12,5.")) from error
    if not value.is_finite() or abs(value) >= Decimal(10**12):
        raise ValidationError(_l("Skriv ett rimligt tal."))
    return value


def largest_remainder(total: int, weights: Sequence[int]) -> list[int]:
    """`total` whole units shared in proportion to `weights` (whole, not negative, at least one
    above zero): each part gets its quotient rounded down, and the units left over go one each
    to the parts with the largest remainders (the first of equal ones). The parts add up to
    `total` exactly, which rounding each part on its own does not promise."""
    weight_sum = sum(weights)
    if weight_sum <= 0 or any(weight < 0 for weight in weights):
        raise ValueError("weights must be whole, not negative, and not all zero")
    sign, total = (-1, -total) if total < 0 else (1, total)
    parts, remainders = [], []
    for weight in weights:
        part, remainder = divmod(total * weight, weight_sum)
        parts.append(part)
        remainders.append(remainder)
    left_over = total - sum(parts)
    by_remainder = sorted(range(len(weights)), key=lambda index: (-remainders[index], index))
    for index in by_remainder[:left_over]:
        parts[index] += 1
    return [sign * part for part in parts]


def split_amount(ore: int, weights: Sequence[int], unit: int = KRONA) -> list[int]:
    """An amount in öre shared among parties in proportion to `weights`, in whole `unit`s
    (whole kronor unless told otherwise; unit=1 shares to the öre). The öre that do not make a
    whole unit go to the part with the largest weight, so the parts always add up to `ore`
    and none shows öre that the whole did not have."""
    units, rest = divmod(abs(ore), unit)
    parts = [part * unit for part in largest_remainder(units, weights)]
    if rest:
        parts[max(range(len(weights)), key=lambda index: (weights[index], -index))] += rest
    return parts if ore >= 0 else [-part for part in parts]
