"""The statistics page keeps its figures between changes: a manager gets saved figures at
once, told when they were counted, and beat recounts them after changes."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from portal.extensions import db
from portal.statistics import snapshots, tasks
from portal.statistics.models import StatisticsSnapshot
from portal.statistics.queries import StatisticsFilters, build_statistics
from tests.factories import make_organisation
from tests.projects.factories import make_goal_area, make_project, make_target_group
from tests.projects.funding_factories import make_grant
from tests.statistics.test_statistics_page import add_projects, table

pytestmark = pytest.mark.both_databases

NOW = "2026-12-01 09:00:00"


@pytest.fixture
def kept_15_minutes(app):
    app.config["STATISTICS_MAX_AGE_SECONDS"] = 900
    return app


def grant_of(amount_kr: int, funder) -> None:
    project = make_project(starts_on=date(2016, 1, 1))
    make_grant(project, funder=funder, amount_ore=amount_kr * 100)


def funder_figures(client) -> tuple[list, str]:
    page = client.get("/statistik").get_data(as_text=True)
    return table(page, "finansiering-per-finansiar"), page


def test_figures_counted_before_a_change_are_shown_with_their_time_until_they_are_too_old(
    client, login_as, kept_15_minutes
):
    kulturradet = make_organisation("Kulturrådet", kind="funder")
    with freeze_time(NOW) as clock:
        login_as("staff")
        grant_of(100_000, kulturradet)
        rows, page = funder_figures(client)
        assert rows == [["Kulturrådet", "100 000 kr"]]
        assert "Siffrorna räknades 2026-12-01 10:00." in page
        assert "Ändringar efter det syns" not in page

        grant_of(50_000, kulturradet)
        rows, page = funder_figures(client)
        assert rows == [["Kulturrådet", "100 000 kr"]]
        assert "Ändringar efter det syns inom några minuter." in page

        clock.tick(timedelta(minutes=16))
        rows, page = funder_figures(client)
        assert rows == [["Kulturrådet", "150 000 kr"]]
        assert "Siffrorna räknades 2026-12-01 10:16." in page


def test_beat_recounts_the_saved_figures_after_a_change_and_leaves_current_ones(
    client, login_as, kept_15_minutes
):
    kulturradet = make_organisation("Kulturrådet", kind="funder")
    login_as("staff")
    grant_of(100_000, kulturradet)
    funder_figures(client)
    client.get("/statistik?year=2015")
    assert tasks.refresh_statistics() == 0

    grant_of(50_000, kulturradet)
    assert tasks.refresh_statistics() == 2
    db.session.rollback()
    rows, page = funder_figures(client)
    assert rows == [["Kulturrådet", "150 000 kr"]]
    assert "Ändringar efter det syns" not in page
    assert tasks.refresh_statistics() == 0


def test_beat_counts_the_unfiltered_page_before_anyone_opens_it(app):
    make_goal_area()
    assert tasks.refresh_statistics() == 1
    keys = db.session.scalars(select(StatisticsSnapshot.filters_key)).all()
    assert keys == [snapshots.filters_key(StatisticsFilters())]


def test_saved_figures_read_back_exactly_as_counted(app):
    area = make_goal_area()
    funder = make_organisation("Kulturrådet", kind="funder")
    library = make_organisation("Kramfors bibliotek", municipality_name="Kramfors")
    add_projects(3, area, funder, library, make_target_group("Barn"), offset=0)
    filters = StatisticsFilters(year=2016)
    counted = build_statistics(filters)
    assert counted.indicators_by_area[0][4] == Decimal("12.00")
    assert snapshots.decode(snapshots.encode(counted), filters) == counted


def test_the_beat_task_runs_every_few_minutes(app):
    entry = app.extensions["celery"].conf.beat_schedule["refresh-statistics"]
    assert entry["task"] == "portal.statistics.tasks.refresh_statistics"
    assert entry["schedule"] == 300.0


def test_figures_saved_before_a_table_was_added_are_counted_again(client, login_as):
    funder = make_organisation("Kulturrådet", kind="funder")
    grant_of(1_000, funder)
    login_as("staff")
    client.get("/statistik")
    saved = db.session.scalar(select(StatisticsSnapshot))
    payload = dict(saved.payload)
    del payload["indicators_by_target_group"], payload["projects_with_target_group"]
    saved.payload = payload
    db.session.commit()
    page = client.get("/statistik")
    assert page.status_code == 200
    assert "indikatorer-per-malgrupp" in page.get_data(as_text=True)
    assert "indicators_by_target_group" in db.session.scalar(select(StatisticsSnapshot)).payload
