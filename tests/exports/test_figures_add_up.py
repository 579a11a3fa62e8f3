"""The economy download's rows add up to its "Summa" row, whatever the project's grants, lines
and expenses (Hypothesis), and the statistics downloads to the money the page counts."""

from datetime import date
from decimal import Decimal

from hypothesis import given

from portal.exports.routes import economy_table
from portal.exports.writers import kronor
from portal.statistics.queries import StatisticsFilters, build_statistics
from portal.statistics.tables import BY_SLUG, export_table
from tests.examples import build_economy, database_examples, economies, rolled_back_example
from tests.factories import make_organisation

AMOUNT, PLANNED, SPENT, LEFT = 4, 5, 6, 7  # columns of the economy table


def column_sum(rows, column: int) -> Decimal:
    return sum((row[column] for row in rows), Decimal(0))


@database_examples
@given(spec=economies)
def test_the_economy_downloads_rows_add_up_to_its_sum_row(app, spec):
    with rolled_back_example():
        headers, rows = economy_table(build_economy(spec))
        *sources_and_lines, total = rows
        sources = [row for row in sources_and_lines if row[AMOUNT] is not None]
        lines = [row for row in sources_and_lines if row[AMOUNT] is None]
        assert str(total[0]) == "Summa"
        assert total[AMOUNT] == kronor(sum(spec["grants"]) + sum(spec["contributions"]))
        assert column_sum(sources, AMOUNT) == total[AMOUNT]
        for column in (PLANNED, SPENT):
            assert column_sum(sources, column) == total[column]
            assert column_sum(lines, column) == total[column]
        assert column_sum(sources, LEFT) == total[LEFT]
        assert column_sum(lines, LEFT) == total[PLANNED] - total[SPENT]


@database_examples
@given(spec=economies)
def test_the_statistics_downloads_add_up_to_the_grants(app, spec):
    with rolled_back_example():
        project = build_economy(
            spec,
            participants=[
                make_organisation(municipality_name=name) for name in ("Kramfors", "Timrå", "Ånge")
            ],
            starts_on=date(2016, 1, 1),
        )
        statistics = build_statistics(StatisticsFilters())
        granted = kronor(sum(grant.amount_ore for grant in project.grants))
        for slug in (
            "finansiering-per-malomrade",
            "finansiering-per-ar",
            "finansiering-per-finansiar",
            "finansiering-per-kommun",
        ):
            _headers, rows = export_table(BY_SLUG[slug], statistics)
            assert column_sum(rows, -1) == granted, slug
