"""Searching projects, news, comments and documents: the words typed, Swedish stems, ranked,
highlighted and filtered by what the reader may see, in one SQL statement whatever the data.

Each source contributes at most COUNT_CAP + 1 candidates, its newest matching rows that the
reader may see, and only those are ranked; so a word found in 100 000 rows costs about as much
as one found in 100, and the page says "more than 1000" instead of counting them all.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from flask_babel import get_locale
from markupsafe import Markup
from sqlalchemy import (
    Integer,
    String,
    and_,
    bindparam,
    cast,
    column,
    exists,
    func,
    literal,
    literal_column,
    select,
    table,
    union_all,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.sql.selectable import Exists
from sqlalchemy.sql.visitors import replacement_traverse

from portal.accounts.models import User
from portal.core import read_cache
from portal.core.database import plan_each_statement
from portal.core.dates import utcnow
from portal.core.markdown import markdown_text
from portal.core.pagination import Paged
from portal.extensions import db
from portal.search import text
from portal.search.index import FTS_TABLE, VECTOR_COLUMN
from portal.search.sources import SOURCES, Source

PER_PAGE = 20
COUNT_CAP = 200
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

    query = func.plainto_tsquery(SWEDISH, bindparam("terms", type_=String))

    @staticmethod
    def words(terms: list[str]) -> dict | None:
        return {"terms": " ".join(terms)}

    @staticmethod
    def from_(statement, source: Source):
        return statement.select_from(source.model)

    @staticmethod
    def _vector(source: Source):
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

    @staticmethod
    def highlighted(value: str, terms: list[str], whole: bool) -> Markup:
        return text.marked(value)

    @staticmethod
    def per_row(condition):
        """The permission condition with each EXISTS behind an OFFSET 0 fence, so PostgreSQL
        tests it on each of the few rows a page reads (through the small indexes news' rules
        were written for) instead of first hashing, say, all 28 000 projects a library takes
        part in: 3 ms instead of 60 for a word in every news item."""

        def fenced(element):
            if isinstance(element, Exists):
                return exists(element.element.element.offset(0))
            return None

        return replacement_traverse(condition, {}, fenced)


class _Sqlite:
    """FTS5 over the stems kept in `search_index` (see index.py); bm25 weighs a word in the
    title ten times one in the body."""

    fts = table(FTS_TABLE, column("rowid"))

    @staticmethod
    def words(terms: list[str]) -> dict | None:
        stems = text.query_stems(terms)
        return {"match": " ".join(f'"{stem}"' for stem in stems)} if stems else None

    def from_(self, statement, source: Source):
        return statement.select_from(self.fts).join(
            source.model, source.model.id == self.fts.c.rowid.op(">>")(4)
        )

    def matches(self, source: Source):
        return and_(
            literal_column(FTS_TABLE).op("MATCH")(bindparam("match", type_=String)),
            self.fts.c.rowid.op("&")(15) == source.code,
        )

    @staticmethod
    def rank(source: Source):
        return -func.bm25(literal_column(FTS_TABLE), 10.0, 1.0)

    @staticmethod
    def shown(column, whole: bool):
        return column

    @staticmethod
    def highlighted(value: str, terms: list[str], whole: bool) -> Markup:
        return text.highlight(value, set(text.query_stems(terms)), whole=whole)

    @staticmethod
    def per_row(condition):
        return condition


BACKENDS = {"postgresql": _Postgres(), "sqlite": _Sqlite()}


class _BoundReader:
    """The reader as bound parameters, for the sources' `visible` rules (news' audience and
    documents' visibility read `role`, `id` and `organisation_id`): the statements are built
    once per kind of reader (role, and whether they have an organisation) and run with each
    reader's ids, since building them costs more than running them."""

    is_authenticated = True

    def __init__(self, role: str, has_organisation: bool):
        self.role = role
        self.id = bindparam("reader_id", type_=Integer)
        self.organisation_id = (
            bindparam("reader_organisation_id", type_=Integer) if has_organisation else None
        )


def _candidates(backend, source: Source, reader: _BoundReader, ranked: bool):
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
        statement.where(
            backend.matches(source), backend.per_row(source.visible(reader, bindparam("now")))
        )
        .order_by(model.id.desc())
        .limit(COUNT_CAP + 1)
    )
    return select(statement.subquery())


@lru_cache(maxsize=32)
def _statements(dialect: str, role: str, has_organisation: bool):
    """One page of results with the number of candidates beside each row, and the number
    alone (for a page past the end)."""
    backend = BACKENDS[dialect]
    reader = _BoundReader(role, has_organisation)
    candidates = union_all(*(_candidates(backend, s, reader, True) for s in SOURCES)).subquery()
    one_page = (
        select(candidates, func.count().over().label("total"))
        .order_by(candidates.c.rank.desc(), candidates.c.kind, candidates.c.id.desc())
        .limit(PER_PAGE)
        .offset(bindparam("skip", type_=Integer))
        .subquery()
    )
    page = select(
        one_page.c.kind,
        one_page.c.id,
        one_page.c.ref,
        backend.shown(one_page.c.title, whole=True).label("title"),
        backend.shown(one_page.c.snippet, whole=False).label("snippet"),
        one_page.c.total,
    ).order_by(one_page.c.rank.desc(), one_page.c.kind, one_page.c.id.desc())
    count = select(func.count()).select_from(
        union_all(*(_candidates(backend, s, reader, False) for s in SOURCES)).subquery()
    )
    return page, count


def search(user: User, query: str | None, page: int = 1, now: datetime | None = None) -> SearchPage:
    """What the reader may see that contains the words, best first, one page of it.

    The same words asked again by the same person before anything changed come from the read
    cache (portal/core/read_cache.py): results depend on the reader's permissions, so the key
    is the reader, the words, the page and the language. Built afresh it is one statement (on
    PostgreSQL after `plan_each_statement`), two for a page past the end. A search at a given
    moment (`now`, for tests of scheduled news) is never cached.
    """
    shown_query = "".join(ch for ch in (query or "")[: text.MAX_QUERY_CHARS] if ch.isprintable())
    terms = text.query_terms(query)
    if now is not None:
        return _search(user, shown_query, terms, page, now)
    return read_cache.cached(
        "search",
        user.id,
        tuple(terms),
        page,
        str(get_locale()),
        shown_query,
        build=lambda: _search(user, shown_query, terms, page, utcnow()),
    )


def _search(user: User, shown_query: str, terms: list[str], page: int, now: datetime) -> SearchPage:
    dialect = db.session.get_bind().dialect.name
    backend = BACKENDS[dialect]
    words = backend.words(terms) if terms else None
    if not words:
        return SearchPage(query=shown_query, results=[], total=0, page=1, pages=1)
    page_statement, count_statement = _statements(
        dialect, user.role, user.organisation_id is not None
    )
    params = {
        **words,
        "reader_id": user.id,
        "reader_organisation_id": user.organisation_id,
        "now": now,
    }
    plan_each_statement(db.session)
    page = min(max(page, 1), COUNT_CAP // PER_PAGE)

    def rows_of(page: int) -> list:
        skip = (page - 1) * PER_PAGE
        return db.session.execute(page_statement, {**params, "skip": skip}).all()

    rows = rows_of(page)
    total = rows[0].total if rows else 0
    if not rows and page > 1:
        total = db.session.scalar(count_statement, params)
        page = _pages(total)
        rows = rows_of(page) if total else []
    by_kind = {source.kind: source for source in SOURCES}
    results = [
        Result(
            kind=row.kind,
            label=str(by_kind[row.kind].label),
            title=backend.highlighted(row.title, terms, whole=True),
            url=by_kind[row.kind].url(row.ref, row.id),
            snippet=backend.highlighted(markdown_text(row.snippet), terms, whole=False),
        )
        for row in rows
    ]
    return SearchPage(
        query=shown_query, results=results, total=total, page=page, pages=_pages(total)
    )


def _pages(total: int) -> int:
    return max((min(total, COUNT_CAP) + PER_PAGE - 1) // PER_PAGE, 1)
