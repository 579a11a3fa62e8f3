"""Property tests (Hypothesis) run many examples in one test, so in one rolled-back
transaction: each example's rows go in a SAVEPOINT of the test's connection, rolled back after
it, so that no example sees the rows of the one before."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from portal.extensions import db
from portal.projects.models import Project
from tests.projects.factories import make_project
from tests.projects.funding_factories import (
    make_budget_line,
    make_contribution,
    make_expense,
    make_grant,
)

# A few dozen examples: each builds projects in the database, and the suite runs on 2 cores.
database_examples = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@contextmanager
def rolled_back_example() -> Iterator[None]:
    """The code's commits inside release the session's own SAVEPOINTs, nested in this one."""
    db.session.remove()
    savepoint = db.session.get_bind().begin_nested()
    try:
        assert db.session.scalar(select(func.count(Project.id))) == 0, "rows of an earlier example"
        yield
    finally:
        db.session.remove()
        savepoint.rollback()


amounts = st.builds(
    lambda kronor, ore: kronor * 100 + ore,
    st.integers(min_value=0, max_value=2_000_000),
    st.sampled_from([0, 0, 0, 1, 50, 99]),
)
# A project's economy: grants and own contributions, budget lines each financed by one of them
# (by index into grants + contributions), and the expenses on each line.
economies = st.fixed_dictionaries(
    {
        "grants": st.lists(amounts, min_size=1, max_size=3),
        "contributions": st.lists(amounts, max_size=2),
        "lines": st.lists(
            st.tuples(
                st.integers(min_value=0, max_value=4),
                amounts,
                st.lists(amounts, max_size=3),
            ),
            max_size=5,
        ),
    }
)


def build_economy(spec: dict, **project_fields) -> Project:
    """A project with the grants, contributions, budget lines and expenses of `spec`."""
    project = make_project(**project_fields)
    sources = [
        *(("grant", make_grant(project, amount_ore=amount)) for amount in spec["grants"]),
        *(
            ("contribution", make_contribution(project, amount_ore=amount))
            for amount in spec["contributions"]
        ),
    ]
    for source, planned, expenses in spec["lines"]:
        kind, financing = sources[source % len(sources)]
        line = make_budget_line(project, planned_ore=planned, **{kind: financing})
        for n, amount in enumerate(expenses):
            make_expense(line, amount_ore=amount, spent_on=date(2016, 1 + n, 25))
    return project
