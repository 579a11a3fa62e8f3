"""Password hashing (argon2) and the password rules: 12–128 characters, not guessable.

There are no composition rules (NIST SP 800-63B); instead zxcvbn refuses common and obvious
passwords, including ones built from the person's own name, email or the library's words.
"""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

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
    "länsbibliotek",
    "lansbibliotek",
    "västernorrland",
    "vasternorrland",
    "portal",
    "portalen",
    "lösenord",
    "losenord",
]

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


def password_problem(password: str, name: str = "", email: str = "") -> str | None:
    """The Swedish reason a password is refused, or None if it is good."""
    if len(password) < MIN_LENGTH:
        return str(_l("Lösenordet måste ha minst %(n)d tecken.", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        return str(_l("Lösenordet får ha högst %(n)d tecken.", n=MAX_LENGTH))
    personal = personal_words(name, email)
    lowered = password.lower()
    if any(word in lowered for word in personal if len(word) >= 4):
        return str(_l("Lösenordet får inte innehålla ditt namn eller din e-postadress."))
    judged = password[:ZXCVBN_MAX_LENGTH]
    if zxcvbn(judged, user_inputs=personal + LIBRARY_WORDS)["score"] < MIN_STRENGTH:
        return str(
            _l("Lösenordet är för vanligt eller lätt att gissa. Välj en längre fras av flera ord.")
        )
    return None


def personal_words(name: str, email: str) -> list[str]:
    local_part = email.lower().partition("@")[0]
    words = name.lower().split() + [local_part] + local_part.replace("-", ".").split(".")
    return [word for word in words if word]
