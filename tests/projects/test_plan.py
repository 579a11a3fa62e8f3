"""Admins keep the regional library plan: plan periods, ordered goal areas, target groups."""

from sqlalchemy import select

from portal.extensions import db
from portal.projects.models import GoalArea, PlanPeriod, TargetGroup
from tests.projects.factories import (
    make_goal_area,
    make_plan_period,
    make_project,
    make_target_group,
)

PERIOD_FORM = {
    "name": "Regional biblioteksplan 2018–2020",
    "starts_on": "2018-01-01",
    "ends_on": "2020-12-31",
}


def test_admin_creates_a_plan_period(client, login_as):
    login_as("admin")
    response = client.post("/admin/planer/ny", data=PERIOD_FORM)
    assert response.status_code == 302
    period = db.session.scalar(select(PlanPeriod))
    assert (period.name, period.starts_on.year, period.ends_on.year) == (
        "Regional biblioteksplan 2018–2020",
        2018,
        2020,
    )


def test_marking_a_plan_period_current_makes_the_old_one_not_current(client, login_as):
    old = make_plan_period("Regional biblioteksplan 2015–2017", current=True)
    login_as("admin")
    client.post("/admin/planer/ny", data={**PERIOD_FORM, "is_current": "y"})
    db.session.expire_all()
    current = db.session.scalars(select(PlanPeriod.name).where(PlanPeriod.is_current)).all()
    assert current == ["Regional biblioteksplan 2018–2020"]
    assert db.session.get(PlanPeriod, old.id).is_current is False


def test_a_plan_period_that_ends_before_it_starts_is_refused_and_keeps_the_text(client, login_as):
    login_as("admin")
    form = {**PERIOD_FORM, "ends_on": "2017-12-31"}
    response = client.post("/admin/planer/ny", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Perioden kan inte sluta innan den börjar." in page
    assert 'value="Regional biblioteksplan 2018–2020"' in page
    assert db.session.scalar(select(PlanPeriod)) is None


def test_goal_areas_are_listed_in_their_order(client, login_as):
    period = make_plan_period("Regional biblioteksplan 2015–2017")
    login_as("admin")
    for position, name in ((3, "Litteratur och läsfrämjande"), (1, "Regional samverkan")):
        data = {"name": name, "position": str(position)}
        response = client.post(f"/admin/planer/{period.id}/malomraden/ny", data=data)
        assert response.status_code == 302
    page = client.get(f"/admin/planer/{period.id}").get_data(as_text=True)
    assert page.index("Regional samverkan") < page.index("Litteratur och läsfrämjande")


def test_a_goal_area_without_projects_can_be_deleted(client, login_as):
    area = make_goal_area("Digital delaktighet")
    login_as("admin")
    response = client.post(f"/admin/malomraden/{area.id}/ta-bort")
    assert response.status_code == 302
    assert db.session.scalar(select(GoalArea)) is None


def test_a_goal_area_with_projects_cannot_be_deleted_only_retired(client, login_as):
    area = make_goal_area("Litteratur och läsfrämjande")
    make_project("Bokstart Västernorrland", goal_area=area)
    login_as("admin")
    response = client.post(f"/admin/malomraden/{area.id}/ta-bort")
    assert response.status_code == 400
    assert "Målområdet har projekt och kan inte tas bort" in response.get_data(as_text=True)
    assert db.session.get(GoalArea, area.id) is not None

    data = {"name": "Litteratur och läsfrämjande", "position": "3", "is_retired": "y"}
    assert client.post(f"/admin/malomraden/{area.id}", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(GoalArea, area.id).is_retired is True


def test_two_goal_areas_of_one_period_cannot_share_a_name(client, login_as):
    area = make_goal_area("Demokrati och delaktighet")
    login_as("admin")
    data = {"name": "demokrati och delaktighet"}
    response = client.post(f"/admin/planer/{area.plan_period_id}/malomraden/ny", data=data)
    assert "Planperioden har redan ett målområde med det namnet." in response.get_data(as_text=True)
    assert len(db.session.scalars(select(GoalArea)).all()) == 1


def test_target_group_named_like_one_with_swedish_letters_gets_the_swedish_message(
    client, login_as
):
    """SQLite's own lower() leaves Ä alone: the check missed the clash and the unique index
    answered with a 500."""
    make_target_group("Äldre")
    login_as("admin")
    response = client.post("/admin/malgrupper", data={"name": "äldre"})
    assert response.status_code == 200
    assert "Det finns redan en målgrupp med det namnet." in response.get_data(as_text=True)
    assert len(db.session.scalars(select(TargetGroup)).all()) == 1


def test_target_group_position_of_400_digits_gets_the_swedish_message(client, login_as):
    login_as("admin")
    form = {"name": "Nyanlända", "position": "1" + "0" * 400}
    response = client.post("/admin/malgrupper", data=form)
    assert response.status_code == 200
    assert "Skriv ett heltal från 0 och uppåt." in response.get_data(as_text=True)
    assert db.session.scalar(select(TargetGroup)) is None


def test_admin_adds_a_target_group(client, login_as):
    login_as("admin")
    response = client.post("/admin/malgrupper", data={"name": "Nationella minoriteter"})
    assert response.status_code == 302
    page = client.get("/admin/malgrupper").get_data(as_text=True)
    assert "Nationella minoriteter" in page


def test_an_unused_target_group_is_deleted(client, login_as):
    group = make_target_group("Äldre")
    login_as("admin")
    assert client.post(f"/admin/malgrupper/{group.id}/ta-bort").status_code == 302
    assert db.session.scalar(select(TargetGroup)) is None


def test_a_target_group_projects_use_is_retired_instead_of_deleted(client, login_as):
    group = make_target_group("Barn och unga")
    make_project("Bokstart Västernorrland", target_groups=[group])
    login_as("admin")
    response = client.post(f"/admin/malgrupper/{group.id}/ta-bort", follow_redirects=True)
    assert "avvecklad i stället för borttagen" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(TargetGroup, group.id).is_retired is True


def test_staff_cannot_edit_the_plan(client, login_as):
    period = make_plan_period("Regional biblioteksplan 2015–2017")
    login_as("staff")
    response = client.post(f"/admin/planer/{period.id}", data=PERIOD_FORM)
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(PlanPeriod, period.id).name == "Regional biblioteksplan 2015–2017"


def test_making_an_existing_plan_period_current_leaves_only_it_current(client, login_as):
    old = make_plan_period("Regional biblioteksplan 2015–2017", current=True)
    new = make_plan_period("Regional biblioteksplan 2018–2020", current=False)
    login_as("admin")
    response = client.post(f"/admin/planer/{new.id}", data={**PERIOD_FORM, "is_current": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(PlanPeriod, new.id).is_current is True
    assert db.session.get(PlanPeriod, old.id).is_current is False
