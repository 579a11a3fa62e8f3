"""Numbers, money and percentages as people read them, the same on pages, in emails, PDFs and
exports: Babel's `format_decimal`, `format_currency` and `format_percent` in the language of
the page (Flask-Babel's locale; Swedish outside a request, as in tasks and emails).

One rule each. A number shows at most two decimals, trailing zeros dropped ("12 345,5",
"400"). Money is whole kronor when there are no öre, else kronor and öre ("600 000 kr",
"1 000,50 kr"): never one decimal. A percentage is whole ("45 %"), computed by `share_of` and
rounded there once (half up), so a table, a chart and a page show the same figure. Swedish
groups digits with a non-breaking space, as Babel gives it.
"""

from decimal import ROUND_HALF_UP, Decimal

from babel import Locale, numbers
from flask_babel import get_locale

NUMBER_PATTERN = "#,##0.##"
MISSING = "–"
CURRENCY = "SEK"
SWEDISH = Locale.parse("sv")


def _locale() -> Locale:
    return get_locale() or SWEDISH


def format_number(value: Decimal | int | float | None) -> str:
    """12345.50 → "12 345,5", 400.00 → "400"; None → "–"."""
    if value is None:
        return MISSING
    return numbers.format_decimal(value, format=NUMBER_PATTERN, locale=_locale())


def format_money(ore: int | None) -> str:
    """600000_00 → "600 000 kr" ("SEK 600,000" in English), 1000_50 → "1 000,50 kr";
    None → "–"."""
    if ore is None:
        return MISSING
    locale = _locale()
    kronor = Decimal(ore) / 100
    pattern = _code_apart(locale.currency_formats["standard"].pattern)
    if ore % 100:
        return numbers.format_currency(kronor, CURRENCY, format=pattern, locale=locale)
    return numbers.format_currency(
        kronor, CURRENCY, format=pattern.replace(".00", ""), currency_digits=False, locale=locale
    )


def _code_apart(pattern: str) -> str:
    """A currency sign before the figure ("¤#,##0.00", English) is written as a code there, so
    it gets a non-breaking space: "SEK 1,380,000", not "SEK1,380,000"."""
    return pattern.replace("¤#", "¤\u00a0#").replace("¤-", "¤\u00a0-")


def format_percent(ratio: Decimal | float | None) -> str:
    """0.45 → "45 %"; None → "–"."""
    if ratio is None:
        return MISSING
    return numbers.format_percent(ratio, locale=_locale())


def share_of(part: Decimal | int | float, whole: Decimal | int | float | None) -> int | None:
    """Whole per cent of `whole` that `part` is, rounded half up (150 of 400 → 38); None
    without a whole. The one place a share is computed: round it again nowhere."""
    if not whole:
        return None
    ratio = Decimal(str(part)) * 100 / Decimal(str(whole))
    return int(ratio.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_share(percent: int | None) -> str:
    """A share from `share_of` as people read it: 38 → "38 %"; None → "–"."""
    return format_percent(None if percent is None else Decimal(percent) / 100)


def format_file_size(size: int) -> str:
    """1 234 567 bytes → "1,2 MB" (one decimal); under a megabyte whole kB, under a kilobyte B."""
    if size < 1024:
        return f"{format_number(size)} B"
    if size < 1024 * 1024:
        return f"{format_number(round(size / 1024))} kB"
    megabytes = numbers.format_decimal(size / (1024 * 1024), format="#,##0.0", locale=_locale())
    return f"{megabytes} MB"


def amount_for_form(ore: int) -> str:
    """An amount put back in a form field, the way `parse_money` reads it in every language:
    "600 000", "1 000,50"."""
    pattern = "#,##0.00" if ore % 100 else "#,##0"
    return numbers.format_decimal(Decimal(ore) / 100, format=pattern, locale=SWEDISH)
