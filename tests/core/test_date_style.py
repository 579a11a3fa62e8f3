"""The English interface reads as one: one date style on every page, "2026-12-07 09:45" in
Swedish local time, in Swedish and in English alike (never Babel's "12/7/26, 8:45 AM" beside
ISO dates), and a project's health named the same way on every tab."""

from datetime import UTC, datetime

import pytest

from portal.extensions import db
from tests.projects.factories import make_project

SEEN = datetime(2026, 12, 7, 8, 45, tzinfo=UTC)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_user_page_shows_the_last_login_as_swedish_local_time(client, login_as, language):
    admin = login_as("admin", language=language)
    admin.last_login_at = SEEN
    db.session.commit()

    page = client.get(f"/admin/anvandare/{admin.id}").get_data(as_text=True)

    assert "2026-12-07 09:45" in page
    assert "AM" not in page and "12/7/26" not in page


def test_the_english_project_list_heads_the_start_date_column_start_not_home(client, login_as):
    login_as("staff", language="en")

    page = client.get("/projekt").get_data(as_text=True)

    assert ">Home<" not in page.split("<main", 1)[1]
    assert ">Start</a>" in page or ">Start</th>" in page


def test_the_english_updates_tab_names_the_health_as_the_overview_does(client, login_as):
    project = make_project(health="at_risk")
    login_as("staff", language="en")

    page = client.get(f"/projekt/{project.slug}/uppdateringar").get_data(as_text=True)

    assert 'Health: <span class="badge health-at_risk">At risk</span>' in page
