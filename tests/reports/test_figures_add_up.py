"""The report's economy adds up, whatever the grants, lines and expenses (Hypothesis): each
table's rows to its "Summa" row, as the words read them; and an indicator's share of its
target reads the same in the report, its chart, the project's page and the goal area's page."""

from datetime import date

from hypothesis import given

from portal.core.money import parse_money
from portal.extensions import db
from portal.projects.models import Indicator, Measurement
from portal.reports.sources.economy import draft_economy
from portal.reports.sources.period import Period
from portal.reports.sources.progress import draft_indicators
from tests.examples import build_economy, database_examples, economies, rolled_back_example
from tests.projects.factories import make_project
from tests.projects.funding_factories import make_grant

PERIOD_START, PERIOD_END = date(2016, 2, 1), date(2016, 4, 30)


def ore(shown: str) -> int:
    """A shown amount read back ("1 000,50 kr", "−300 kr") in öre."""
    return parse_money(shown.replace("\u2212", "-"), allow_negative=True)


@database_examples
@given(spec=economies)
def test_the_reports_economy_tables_add_up_to_their_sum_rows(app, spec):
    with rolled_back_example():
        project = build_economy(spec)
        period = Period(project, project.grants[0], PERIOD_START, PERIOD_END)
        draft = draft_economy(period)
        funders, lines = draft.data["tables"]
        for table in (funders, lines):
            *rows, total = table["rows"]
            assert total[0] == "Summa"
            for column in range(2, 6):
                assert sum(ore(row[column]) for row in rows) == ore(total[column]), (
                    table["caption"],
                    column,
                )
        figures = draft.data["figures"]
        assert figures["financing_ore"] == sum(spec["grants"]) + sum(spec["contributions"])
        assert ore(funders["rows"][-1][2]) == figures["financing_ore"]
        assert ore(lines["rows"][-1][2]) == figures["planned_ore"]
        assert ore(lines["rows"][-1][4]) == figures["spent_ore"]
        assert figures["remaining_ore"] == figures["planned_ore"] - figures["spent_ore"]


def test_an_indicators_share_reads_the_same_on_every_page_and_in_the_report(client, login_as):
    project = make_project(starts_on=date(2016, 1, 1))
    grant = make_grant(project)
    indicator = Indicator(project=project, name="Familjer", unit="familjer", target=400)
    indicator.measurements = [Measurement(measured_on=date(2016, 3, 1), value="150.5")]
    db.session.add(indicator)
    db.session.commit()

    draft = draft_indicators(Period(project, grant, date(2016, 1, 1), date(2016, 6, 30)))
    assert draft.data["tables"][0]["rows"][0][4] == "38\u00a0%"
    login_as("staff")
    indicators_page = client.get(f"/projekt/{project.slug}/indikatorer").get_data(as_text=True)
    area_page = client.get(f"/malomraden/{project.goal_area_id}").get_data(as_text=True)
    assert "38&nbsp;%" in indicators_page
    assert "38\u00a0%" in area_page or "38&nbsp;%" in area_page
    assert "37" not in area_page.split("Andel av mål", 1)[1].split("</table>", 1)[0]
