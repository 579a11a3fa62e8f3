"""Searching projects, news and comments: the words typed, Swedish stems, ranked, highlighted
and filtered by what the reader may see, in two SQL statements whatever the data.

Each source contributes at most COUNT_CAP + 1 candidates, its newest matching rows that the
reader may see, and only those are ranked; so a word found in 100 000 rows costs about as much
as one found in 100, and the page says "more than 1000" instead of counting them all.
"""

from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup
from sqlalchemy import (
    String,
    and_,
    cast,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
    union_all,
)
from sqlalchemy.dialects.postgresql import TSVECTOR

from portal.accounts.models import User
from portal.core.dates import utcnow
from portal.core.pagination import Paged
from portal.extensions import db
from portal.search import text
from portal.search.index import FTS_TABLE, VECTOR_COLUMN
from portal.search.sources import SOURCES, Source

PER_PAGE = 20
COUNT_CAP = 1000
# ts_headline reads at most this much of a text; its cost grows with the length.
SNIPPET_SOURCE_CHARS = 20_000
SWEDISH = literal_column("'swedish'::regconfig")
HEADLINE_OPTIONS = 'MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "'


@dataclass
class Result:
    kind: str
    label: str
    title: Markup
    url: str
    snippet: Markup


@dataclass
class SearchPage(Paged):
    query: str
    results: list[Result]
    total: int
    page: int
    pages: int

    @property
    def searched(self) -> bool:
        return bool(self.query.strip())

    @property
    def more_than_counted(self) -> bool:
        return self.total > COUNT_CAP

    @property
    def count_cap(self) -> int:
        return COUNT_CAP

    @property
    def first_number(self) -> int:
        return (self.page - 1) * PER_PAGE + 1


class _Postgres:
    """Full-text search over each table's generated `search_vector` (see index.py)."""

    def __init__(self, terms: list[str]):
        self.query = func.plainto_tsquery(SWEDISH, " ".join(terms))

    @property
    def finds_nothing(self) -> bool:
        return False

    def from_(self, statement, source: Source):
        return statement.select_from(source.model)

    def _vector(self, source: Source):
        return literal_column(f"{source.table_name}.{VECTOR_COLUMN}", TSVECTOR)

    def matches(self, source: Source):
        return self._vector(source).op("@@")(self.query)

    def rank(self, source: Source):
        return func.ts_rank(self._vector(source), self.query)

    def shown(self, column, whole: bool):
        marks = f'StartSel="{text.MARK_START}", StopSel="{text.MARK_END}"'
        options = f"{marks}, HighlightAll=true" if whole else f"{marks}, {HEADLINE_OPTIONS}"
        # ts_headline drops what its parser takes for HTML tags; hidden from it, a "<script>"
        # someone wrote comes back as text, to be escaped with the rest.
        hidden = func.translate(column, "<>", text.HIDDEN_BRACKETS)
        return func.ts_headline(SWEDISH, hidden, self.query, options)

    def highlighted(self, value: str, whole: bool) -> Markup:
        return text.marked(value)


class _Sqlite:
    """FTS5 over the stems kept in `search_index` (see index.py); bm25 weighs a word in the
    title ten times one in the body."""

    def __init__(self, terms: list[str]):
        self.stems = text.query_stems(terms)
        self.fts = table(FTS_TABLE, column("rowid"))

    @property
    def finds_nothing(self) -> bool:
        return not self.stems

    def from_(self, statement, source: Source):
        return statement.select_from(self.fts).join(
            source.model, source.model.id == self.fts.c.rowid.op(">>")(4)
        )

    def matches(self, source: Source):
        match = " ".join(f'"{stem}"' for stem in self.stems)
        return and_(
            literal_column(FTS_TABLE).op("MATCH")(match),
            self.fts.c.rowid.op("&")(15) == source.code,
        )

    def rank(self, source: Source):
        return -func.bm25(literal_column(FTS_TABLE), 10.0, 1.0)

    def shown(self, column, whole: bool):
        return column

    def highlighted(self, value: str, whole: bool) -> Markup:
        return text.highlight(value, set(self.stems), whole=whole)


def _backend(terms: list[str]):
    if db.session.get_bind().dialect.name == "postgresql":
        return _Postgres(terms)
    return _Sqlite(terms)


def _candidates(backend, source: Source, user: User, now: datetime, ranked: bool):
    """The reader's newest matching rows of one source, at most COUNT_CAP + 1."""
    model = source.model
    if ranked:
        columns = [
            literal(source.kind, String).label("kind"),
            model.id.label("id"),
            cast(source.ref(), String).label("ref"),
            source.title().label("title"),
            func.substr(source.snippet(), 1, SNIPPET_SOURCE_CHARS).label("snippet"),
            backend.rank(source).label("rank"),
        ]
    else:
        columns = [model.id]
    statement = backend.from_(select(*columns), source)
    for target, on in source.joins():
        statement = statement.join(target, on)
    statement = (
        statement.where(backend.matches(source), source.visible(user, now))
        .order_by(model.id.desc())
        .limit(COUNT_CAP + 1)
    )
    return select(statement.subquery())


def search(user: User, query: str | None, page: int = 1, now: datetime | None = None) -> SearchPage:
    """What the reader may see that contains the words, best first, one page of it."""
    shown_query = "".join(ch for ch in (query or "")[: text.MAX_QUERY_CHARS] if ch.isprintable())
    terms = text.query_terms(query)
    empty = SearchPage(query=shown_query, results=[], total=0, page=1, pages=1)
    if not terms:
        return empty
    backend = _backend(terms)
    if backend.finds_nothing:
        return empty
    now = now or utcnow()
    total = db.session.scalar(
        select(func.count()).select_from(
            union_all(*(_candidates(backend, s, user, now, False) for s in SOURCES)).subquery()
        )
    )
    pages = max((min(total, COUNT_CAP) + PER_PAGE - 1) // PER_PAGE, 1)
    page = min(max(page, 1), pages)
    candidates = union_all(*(_candidates(backend, s, user, now, True) for s in SOURCES)).subquery()
    best_first = (candidates.c.rank.desc(), candidates.c.kind, candidates.c.id.desc())
    one_page = (
        select(candidates)
        .order_by(*best_first)
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
        .subquery()
    )
    rows = db.session.execute(
        select(
            one_page.c.kind,
            one_page.c.id,
            one_page.c.ref,
            backend.shown(one_page.c.title, whole=True).label("title"),
            backend.shown(one_page.c.snippet, whole=False).label("snippet"),
        ).order_by(one_page.c.rank.desc(), one_page.c.kind, one_page.c.id.desc())
    ).all()
    by_kind = {source.kind: source for source in SOURCES}
    results = [
        Result(
            kind=row.kind,
            label=str(by_kind[row.kind].label),
            title=backend.highlighted(row.title, whole=True),
            url=by_kind[row.kind].url(row.ref, row.id),
            snippet=backend.highlighted(row.snippet, whole=False),
        )
        for row in rows
    ]
    return SearchPage(query=shown_query, results=results, total=total, page=page, pages=pages)
