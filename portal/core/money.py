"""Money: integer öre in the database and one parser ("1 000,50"); portal.core.numbers shows it."""

import re
from decimal import Decimal, InvalidOperation

from portal.core.errors import ValidationError
from portal.core.i18n import _l
from portal.core.numbers import format_money

ABSURD_KRONOR = 10**12  # a trillion kronor: anything above is a typing mistake
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
