"""The statistics' parts add up to their totals, whatever the projects (Hypothesis): money per
goal area, year, funder and municipality; projects per target group counted once each;
indicators per goal area and per target group."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.core.money import KRONA
from portal.extensions import db
from portal.projects.models import Indicator, Measurement
from portal.statistics.queries import StatisticsFilters, build_statistics
from portal.statistics.tables import table_views
from tests.examples import database_examples, rolled_back_example
from tests.factories import make_organisation
from tests.projects import funding_factories
from tests.projects.factories import (
    make_goal_area,
    make_plan_period,
    make_project,
    make_target_group,
)
from tests.statistics.test_statistics_page import table

pytestmark = pytest.mark.both_databases

MUNICIPALITIES = ("Kramfors", "Timrå", "Sollefteå")

amounts = st.builds(
    lambda kronor, ore: kronor * KRONA + ore,
    st.integers(min_value=1, max_value=5_000_000),
    st.sampled_from([0, 0, 0, 1, 50, 99]),
)
projects = st.lists(
    st.fixed_dictionaries(
        {
            "area": st.integers(min_value=0, max_value=1),
            "grants": st.lists(amounts, min_size=0, max_size=3),
            "years": st.lists(st.sampled_from([2015, 2016, 2017]), min_size=3, max_size=3),
            "participants": st.lists(st.sampled_from(MUNICIPALITIES), max_size=4),
            "groups": st.sets(st.integers(min_value=0, max_value=2), max_size=3),
            "indicators": st.lists(
                st.tuples(
                    st.one_of(st.none(), st.integers(min_value=0, max_value=2)),
                    st.sampled_from(["familjer", "besök"]),
                    st.integers(min_value=0, max_value=500),
                ),
                max_size=3,
            ),
        }
    ),
    min_size=1,
    max_size=4,
)


def build_county(specs: list[dict]) -> dict:
    period = make_plan_period()
    areas = [make_goal_area(f"Målområde {n}", plan_period=period) for n in range(2)]
    groups = [make_target_group() for _ in range(3)]
    funders = [make_organisation(kind="funder") for _ in range(2)]
    expected = {"grants": 0, "located": 0, "with_group": 0, "indicators": 0, "whole_kronor": True}
    for spec in specs:
        project = make_project(
            goal_area=areas[spec["area"]],
            participants=[
                make_organisation(municipality_name=name) for name in spec["participants"]
            ],
            starts_on=date(2015, 1, 1),
            ends_on=date(2017, 12, 31),
        )
        project.target_groups = [groups[n] for n in sorted(spec["groups"])]
        for n, (amount, year) in enumerate(zip(spec["grants"], spec["years"], strict=False)):
            funding_factories.make_grant(
                project, funder=funders[n % 2], amount_ore=amount, decided_on=date(year, 3, 1)
            )
        for group, unit, value in spec["indicators"]:
            indicator = Indicator(
                project=project,
                name="Indikator",
                unit=unit,
                target=400,
                target_group=None if group is None else groups[group],
            )
            indicator.measurements = [Measurement(measured_on=date(2016, 5, 1), value=value)]
            db.session.add(indicator)
        db.session.commit()
        total = sum(spec["grants"])
        expected["grants"] += total
        expected["located"] += total if spec["participants"] else 0
        expected["with_group"] += 1 if spec["groups"] else 0
        expected["indicators"] += len(spec["indicators"])
        expected["whole_kronor"] &= all(amount % KRONA == 0 for amount in spec["grants"])
    return expected


@pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
@database_examples
@given(specs=projects)
def test_every_table_adds_up_to_the_money_and_the_projects(app, specs):
    with rolled_back_example():
        expected = build_county(specs)
        statistics = build_statistics(StatisticsFilters())

        for rows in (
            statistics.funding_by_area,
            statistics.funding_by_year,
            statistics.funding_by_area_year,
            statistics.funding_by_funder,
        ):
            assert sum(row[-1] for row in rows) == expected["grants"]
        by_municipality = [amount for _, amount in statistics.funding_by_municipality]
        assert sum(by_municipality) == expected["located"]
        if expected["whole_kronor"]:
            assert all(amount % KRONA == 0 for amount in by_municipality)

        assert statistics.projects_with_target_group == expected["with_group"]
        assert statistics.projects_with_target_group <= sum(
            count for _, count in statistics.projects_by_target_group
        )
        assert sum(count for _, count in statistics.projects_by_status) == len(specs)

        for rows in (statistics.indicators_by_area, statistics.indicators_by_target_group):
            assert sum(row[2] for row in rows) == expected["indicators"]
        assert sum(row[4] for row in statistics.indicators_by_area) == sum(
            row[4] for row in statistics.indicators_by_target_group
        )

        summaries = {view.spec.slug: view.summary for view in table_views(statistics)}
        if statistics.projects_by_target_group:
            assert summaries["projekt-per-malgrupp"].endswith(
                f"Totalt {expected['with_group']} projekt; ett projekt kan ha flera målgrupper."
            )


def test_a_project_with_two_target_groups_is_counted_once_in_the_total(app):
    children, parents = make_target_group("Barn 0–5 år"), make_target_group("Föräldrar")
    area = make_goal_area()
    both = make_project(goal_area=area, starts_on=date(2016, 1, 1))
    both.target_groups = [children, parents]
    one = make_project(goal_area=area, starts_on=date(2016, 1, 1))
    one.target_groups = [children]
    db.session.commit()
    views = {view.spec.slug: view for view in table_views(build_statistics(StatisticsFilters()))}
    summary = views["projekt-per-malgrupp"].summary
    assert views["projekt-per-malgrupp"].rows == [["Barn 0–5 år", "2"], ["Föräldrar", "1"]]
    assert "Totalt 2 projekt; ett projekt kan ha flera målgrupper." in summary
    assert "3 projekt" not in summary


def test_a_grant_shared_by_three_municipalities_is_whole_kronor_adding_up(app):
    project = make_project(
        participants=[make_organisation(municipality_name=name) for name in MUNICIPALITIES],
        starts_on=date(2016, 1, 1),
    )
    funding_factories.make_grant(project, amount_ore=100_000_00)
    statistics = build_statistics(StatisticsFilters())
    assert sorted(amount for _, amount in statistics.funding_by_municipality) == [
        33_333_00,
        33_333_00,
        33_334_00,
    ]


def test_indicators_are_rolled_up_per_target_group_with_a_row_for_none(app):
    children = make_target_group("Barn 0–5 år")
    project = make_project(starts_on=date(2016, 1, 1))
    for group, value in ((children, 120), (children, 30), (None, 7)):
        indicator = Indicator(
            project=project, name="Familjer", unit="familjer", target=400, target_group=group
        )
        indicator.measurements = [Measurement(measured_on=date(2016, 5, 1), value=value)]
        db.session.add(indicator)
    db.session.commit()
    statistics = build_statistics(StatisticsFilters())
    assert statistics.indicators_by_target_group == [
        ("Barn 0–5 år", "familjer", 2, Decimal("800.00"), Decimal("150.00")),
        (None, "familjer", 1, Decimal("400.00"), Decimal("7.00")),
    ]
    views = {view.spec.slug: view for view in table_views(statistics)}
    assert views["indikatorer-per-malgrupp"].rows[1][0] == "Ingen målgrupp angiven"


def test_the_page_shows_indicators_per_target_group(client, login_as):
    children = make_target_group("Barn 0–5 år")
    project = make_project(starts_on=date(2016, 1, 1))
    indicator = Indicator(
        project=project, name="Familjer", unit="familjer", target=400, target_group=children
    )
    indicator.measurements = [Measurement(measured_on=date(2016, 5, 1), value=150)]
    db.session.add(indicator)
    db.session.commit()
    login_as("staff")
    page = client.get("/statistik").get_data(as_text=True)
    assert table(page, "indikatorer-per-malgrupp") == [
        ["Barn 0–5 år", "familjer", "1", "400", "150"]
    ]
