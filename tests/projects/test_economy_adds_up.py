"""The economy tab's figures add up, whatever the grants, lines and expenses (Hypothesis), and
its words fit the project's state: "to repay" only once the project has ended."""

from datetime import date, timedelta

from hypothesis import given

from portal.projects.funding.economy import economy_of
from tests.examples import build_economy, database_examples, economies, rolled_back_example
from tests.projects.factories import make_project
from tests.projects.funding_factories import make_grant


@database_examples
@given(spec=economies)
def test_the_economy_tabs_parts_add_up_to_its_totals(app, spec):
    with rolled_back_example():
        economy = economy_of(build_economy(spec))
        assert economy.financing_ore == sum(spec["grants"]) + sum(spec["contributions"])
        assert sum(row.amount_ore for row in economy.funders) == economy.financing_ore
        assert sum(line.planned_ore for line in economy.lines) == economy.planned_ore
        assert sum(row.planned_ore for row in economy.funders) == economy.planned_ore
        assert sum(line.spent_ore for line in economy.lines) == economy.spent_ore
        assert sum(row.spent_ore for row in economy.funders) == economy.spent_ore
        assert sum(line.left_ore for line in economy.lines) == (
            economy.planned_ore - economy.spent_ore
        )
        assert economy.difference_ore == economy.financing_ore - economy.planned_ore
        assert economy.to_repay_ore == sum(
            max(row.amount_ore - row.spent_ore, 0) for row in economy.funders if row.kind == "grant"
        )


def economy_page(client, login_as, **project_fields) -> str:
    project = make_project(**project_fields)
    make_grant(project, amount_ore=100_000_00)
    login_as("staff")
    return client.get(f"/projekt/{project.slug}/ekonomi").get_data(as_text=True)


def test_a_running_project_shows_what_is_not_spent_yet(client, login_as):
    page = economy_page(
        client, login_as, status="running", ends_on=date.today() + timedelta(days=30)
    )
    assert "Ej förbrukat hittills" in page
    assert "Att återbetala vid slutet" not in page


def test_an_ended_project_shows_what_is_to_repay(client, login_as):
    page = economy_page(client, login_as, status="finished", ends_on=date(2017, 12, 31))
    assert "Att återbetala vid slutet" in page
    assert "Ej förbrukat hittills" not in page


def test_a_project_still_running_after_its_end_date_has_not_ended_yet(client, login_as):
    page = economy_page(client, login_as, status="running", ends_on=date(2017, 12, 31))
    assert "Ej förbrukat hittills" in page


def test_a_reported_project_shows_what_is_to_repay(client, login_as):
    page = economy_page(client, login_as, status="final_report_submitted")
    assert "Att återbetala vid slutet" in page
