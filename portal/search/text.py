"""Words, Swedish stems and highlighting, done in Python where SQLite cannot do them.

PostgreSQL does the same with its `swedish` text-search configuration: the Snowball stemmer and
the Snowball stop words below are the ones it uses, so both backends find the same items.
"""

import re
from functools import lru_cache

from markupsafe import Markup, escape
from snowballstemmer import stemmer

MAX_QUERY_CHARS = 200
MAX_TERMS = 20
SNIPPET_WORDS = 30
WORD = re.compile(r"[^\W_]+")

# The Snowball project's Swedish stop words, as in PostgreSQL's tsearch_data/swedish.stop.
_STOP_WORDS = """
    och det att i en jag hon som han på den med var sig för så till är men ett om hade de av
    icke mig du henne då sin nu har inte hans honom skulle hennes där min man ej vid kunde något
    från ut när efter upp vi dem vara vad över än dig kan sina här ha mot alla under någon eller
    allt mycket sedan ju denna själv detta åt utan varit hur ingen mitt ni bli blev oss din dessa
    några deras blir mina samma vilken er sådan vår blivit dess inom mellan sådant varför varje
    vilka ditt vem vilket sitta sådana vart dina vars vårt våra ert era vilkas"""
STOP_WORDS = frozenset(_STOP_WORDS.split())

_swedish = stemmer("swedish")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return _swedish.stemWord(word.lower())


def query_terms(query: str | None) -> list[str]:
    """The plain words of what was typed: no operators, quotes or syntax of any engine survive,
    at most MAX_TERMS words from the first MAX_QUERY_CHARS characters."""
    words = WORD.findall((query or "")[:MAX_QUERY_CHARS].lower())
    unique = list(dict.fromkeys(words))
    return unique[:MAX_TERMS]


def query_stems(terms: list[str]) -> list[str]:
    return list(dict.fromkeys(stem(term) for term in terms if term not in STOP_WORDS))


def stemmed(text: str | None) -> str:
    """The text as the SQLite index holds it: its stems, separated by spaces."""
    return " ".join(
        stem(word) for word in WORD.findall((text or "").lower()) if word not in STOP_WORDS
    )


def highlight(text: str | None, stems: set[str], whole: bool = False) -> Markup:
    """The text escaped, with every word whose stem was searched for in <mark>. Unless `whole`,
    only a window of words around the first match (or the text's start) is kept."""
    text = text or ""
    words = list(WORD.finditer(text))
    hits = [i for i, word in enumerate(words) if stem(word.group()) in stems]
    start_char, end_char = 0, len(text)
    if not whole and len(words) > SNIPPET_WORDS:
        first = max((hits[0] if hits else 0) - SNIPPET_WORDS // 3, 0)
        last = min(first + SNIPPET_WORDS, len(words)) - 1
        start_char, end_char = words[first].start(), words[last].end()
    parts: list[str] = ["… " if start_char > 0 else ""]
    position = start_char
    for index in hits:
        word = words[index]
        if word.start() < start_char or word.end() > end_char:
            continue
        parts += [escape(text[position : word.start()]), Markup("<mark>%s</mark>") % word.group()]
        position = word.end()
    parts.append(escape(text[position:end_char]))
    parts.append(" …" if end_char < len(text) else "")
    return Markup("").join(parts)


# PostgreSQL's ts_headline marks matches with these two private-use characters; the text is
# escaped first and only then are they turned into <mark> and </mark>. The next two stand in
# for < and > while ts_headline reads the text.
MARK_START = "\ue000"
MARK_END = "\ue001"
HIDDEN_BRACKETS = "\ue002\ue003"
_BRACKETS_BACK = str.maketrans(HIDDEN_BRACKETS, "<>")


def marked(text: str | None) -> Markup:
    """ts_headline's output as safe HTML: escaped, its marks as balanced <mark> elements."""
    parts: list[str] = []
    inside = False
    for piece in re.split(f"([{MARK_START}{MARK_END}])", (text or "").translate(_BRACKETS_BACK)):
        if piece == MARK_START and not inside:
            parts.append(Markup("<mark>"))
            inside = True
        elif piece == MARK_END and inside:
            parts.append(Markup("</mark>"))
            inside = False
        elif piece not in (MARK_START, MARK_END):
            parts.append(escape(piece))
    if inside:
        parts.append(Markup("</mark>"))
    return Markup("").join(parts)
