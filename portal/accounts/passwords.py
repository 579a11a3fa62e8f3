"""Password hashing (argon2) and the password rules: 12–128 characters, not guessable.

There are no composition rules (NIST SP 800-63B). Refused instead: the common and breached
passwords of the list zxcvbn ships (the 30 000 most common of Mark Burnett's 10 million
passwords) and a few published example passphrases (data/known_passphrases.txt); a season, a
month or a municipality's or library's name with a year or symbols; and whatever zxcvbn finds
guessable, given the person's name and email and those words. Nothing leaves the server.
"""

import re
import unicodedata
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from portal.core.i18n import _l

MIN_LENGTH = 12
MAX_LENGTH = 128
MIN_STRENGTH = 3
# zxcvbn refuses (ValueError) anything longer, as its matching grows with the length; the first
# 72 characters of a passphrase are enough to tell a guessable one.
ZXCVBN_MAX_LENGTH = 72
LIBRARY_WORDS = [
    "bibliotek",
    "biblioteket",
    "bibliotekarie",
    "länsbibliotek",
    "länsbiblioteket",
    "portal",
    "portalen",
    "lösenord",
]
SEASONS = [
    "vår",
    "våren",
    "sommar",
    "sommaren",
    "höst",
    "hösten",
    "vinter",
    "vintern",
    "spring",
    "summer",
    "autumn",
    "fall",
    "winter",
]
MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
    "january",
    "february",
    "march",
    "may",
    "june",
    "july",
    "august",
    "october",
]
# A common password's letters, once digits and symbols are taken away, need this many to count:
# shorter ones ("abc") are as likely to be chance.
MIN_COMMON_CORE = 4
# Shorter words of an organisation's name ("i", "och") would make any phrase one of names.
MIN_PLACE_WORD = 3
KNOWN_PASSPHRASES_FILE = Path(__file__).parent / "data" / "known_passphrases.txt"

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("a password nobody has, used to even out timing")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Compare in constant time; an unknown account costs as much as a known one."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def password_problem(
    password: str, name: str = "", email: str = "", place_words: list[str] | None = None
) -> str | None:
    """The Swedish reason a password is refused, or None if it is good. `place_words` are the
    names of the organisations and municipalities, word by word (services.place_words)."""
    if len(password) < MIN_LENGTH:
        return str(_l("Lösenordet måste ha minst %(n)d tecken.", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        return str(_l("Lösenordet får ha högst %(n)d tecken.", n=MAX_LENGTH))
    personal = personal_words(name, email)
    lowered = password.lower()
    if any(word in lowered for word in personal if len(word) >= 4):
        return str(_l("Lösenordet får inte innehålla ditt namn eller din e-postadress."))
    pattern_words = SEASONS + MONTHS + LIBRARY_WORDS + list(place_words or [])
    if is_made_of(letters(password), {letters(word) for word in pattern_words}):
        return str(
            _l(
                "Lösenordet är byggt av en årstid, en månad, en kommun eller ett bibliotek med "
                "siffror eller tecken, och sådana prövas först. Välj en fras av flera ord."
            )
        )
    if is_common(password):
        return str(
            _l(
                "Lösenordet finns bland de vanligaste lösenorden och i listor över läckta "
                "lösenord. Välj en längre fras av flera ord."
            )
        )
    judged = password[:ZXCVBN_MAX_LENGTH]
    hints = personal + pattern_words + [folded(word) for word in pattern_words]
    if zxcvbn(judged, user_inputs=hints)["score"] < MIN_STRENGTH:
        return str(
            _l("Lösenordet är för vanligt eller lätt att gissa. Välj en längre fras av flera ord.")
        )
    return None


def personal_words(name: str, email: str) -> list[str]:
    local_part = email.lower().partition("@")[0]
    words = name.lower().split() + [local_part] + local_part.replace("-", ".").split(".")
    return [word for word in words if word]


def folded(text: str) -> str:
    """Lower case without diacritics: "Härnösand" and "harnosand" are one word to a guesser."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def letters(text: str) -> str:
    """The letters a password is built of, once digits, spaces and symbols are taken away."""
    return re.sub(r"[^a-z]", "", folded(text))


def compact(text: str) -> str:
    """The password as a list has it: folded, without spaces and separators."""
    return re.sub(r"[\s._-]", "", folded(text))


@cache
def common_passwords() -> frozenset[str]:
    listed = FREQUENCY_LISTS["passwords"]
    words = listed.split(",") if isinstance(listed, str) else listed
    return frozenset(compact(word) for word in words)


@cache
def known_passphrases() -> frozenset[str]:
    lines = KNOWN_PASSPHRASES_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(compact(line) for line in lines if line.strip() and not line.startswith("#"))


def is_common(password: str) -> bool:
    """A listed password, as it is or with digits and symbols added ("Dragon2024!!")."""
    whole, core = compact(password), letters(password)
    return (
        whole in common_passwords()
        or whole in known_passphrases()
        or core in known_passphrases()
        or (len(core) >= MIN_COMMON_CORE and core in common_passwords())
    )


def is_made_of(text: str, words: set[str]) -> bool:
    """Whether `text` is one or more of `words` one after the other ("kramforssommar")."""
    if not text:
        return False
    reachable = [True] + [False] * len(text)
    for end in range(1, len(text) + 1):
        reachable[end] = any(
            reachable[end - len(word)] and text.endswith(word, 0, end)
            for word in words
            if 0 < len(word) <= end
        )
    return reachable[-1]


def place_words(names: list[str]) -> list[str]:
    """The words of organisations' and municipalities' names that a guesser would try: each
    word, without a genitive s too ("Härnösands" and "Härnösand"), and the name whole."""
    words: set[str] = set()
    for name in names:
        parts = [part for part in re.split(r"[\W\d_]+", name.lower()) if part]
        words.add("".join(parts))
        for part in parts:
            words.add(part)
            if part.endswith("s"):
                words.add(part[:-1])
    return sorted(word for word in words if len(word) >= MIN_PLACE_WORD)
