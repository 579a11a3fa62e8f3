"""Creating, changing and deleting a project; its participants; who may do it."""

from sqlalchemy import select

from portal.core.audit import AuditEntry
from portal.extensions import db
from portal.projects.models import Project, ProjectParticipant
from tests.factories import make_organisation, make_user
from tests.projects.factories import make_goal_area, make_project, make_target_group


def project_form(goal_area, **fields) -> dict:
    form = {
        "title": "Bokstart Västernorrland",
        "summary": "Läsfrämjande för de minsta",
        "description": "Vi *läser* med barn 0–3 år.",
        "goal_area_id": goal_area.id,
        "status": "planned",
        "health": "on_track",
        "starts_on": "2015-09-01",
        "ends_on": "2017-06-30",
    }
    form.update(fields)
    return form


def stored(slug: str) -> Project | None:
    db.session.expire_all()
    return db.session.scalar(select(Project).where(Project.slug == slug))


def test_staff_creates_a_project_with_a_slug_from_the_title(client, login_as):
    area = make_goal_area()
    children = make_target_group("Barn och unga")
    staff = login_as("staff")
    form = project_form(area, lead_id=staff.id, target_group_ids=[children.id])
    response = client.post("/projekt/nytt", data=form)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/projekt/bokstart-vasternorrland")
    project = stored("bokstart-vasternorrland")
    assert project.lead_id == staff.id
    assert [group.name for group in project.target_groups] == ["Barn och unga"]


def test_overview_shows_the_project_with_its_description_as_markdown(client, login_as):
    area = make_goal_area("Litteratur och läsfrämjande")
    lead = make_user(role="staff", name="Karin Lund")
    make_project("Bokstart", slug="bokstart", goal_area=area, lead=lead, description="Vi *läser*.")
    login_as("member")
    page = client.get("/projekt/bokstart").get_data(as_text=True)
    assert "<em>läser</em>" in page
    assert "Litteratur och läsfrämjande" in page
    assert "Karin Lund" in page


def test_creating_a_project_writes_an_audit_row(client, login_as):
    area = make_goal_area()
    login_as("staff")
    client.post("/projekt/nytt", data=project_form(area))
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity == "project"))
    assert entry.action == "create"
    assert entry.changes["title"] == [None, "Bokstart Västernorrland"]


def test_a_second_project_with_the_same_title_gets_slug_with_2(client, login_as):
    area = make_goal_area()
    make_project("Bokstart Västernorrland", slug="bokstart-vasternorrland", goal_area=area)
    login_as("staff")
    response = client.post("/projekt/nytt", data=project_form(area))
    assert response.headers["Location"].endswith("/projekt/bokstart-vasternorrland-2")


def test_a_typed_slug_that_is_taken_is_refused_beside_the_field(client, login_as):
    area = make_goal_area()
    make_project("Bokstart", slug="bokstart", goal_area=area)
    login_as("staff")
    response = client.post("/projekt/nytt", data=project_form(area, slug="bokstart"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="slug-error"' in page
    assert "Adressen bokstart används redan av ett annat projekt." in page
    assert (
        db.session.scalar(select(Project).where(Project.title == "Bokstart Västernorrland")) is None
    )


def test_a_project_called_nytt_does_not_hide_the_new_project_form(client, login_as):
    area = make_goal_area()
    login_as("staff")
    response = client.post("/projekt/nytt", data=project_form(area, title="Nytt"))
    assert response.headers["Location"].endswith("/projekt/nytt-2")


def test_end_before_start_is_refused_beside_the_field(client, login_as):
    area = make_goal_area()
    login_as("staff")
    form = project_form(area, starts_on="2017-01-01", ends_on="2016-01-01")
    page = client.post("/projekt/nytt", data=form).get_data(as_text=True)
    assert 'id="ends_on-error"' in page
    assert "Slutdatumet ligger före startdatumet." in page
    assert stored("bokstart-vasternorrland") is None


def test_a_retired_goal_area_is_refused(client, login_as):
    area = make_goal_area()
    area.is_retired = True
    db.session.commit()
    login_as("staff")
    page = client.post("/projekt/nytt", data=project_form(area)).get_data(as_text=True)
    assert "används inte längre" in page
    assert stored("bokstart-vasternorrland") is None


def test_a_deleted_goal_area_is_refused(client, login_as):
    area = make_goal_area()
    login_as("staff")
    form = project_form(area, goal_area_id=area.id + 1000)
    page = client.post("/projekt/nytt", data=form).get_data(as_text=True)
    assert 'id="goal_area_id-error"' in page
    assert stored("bokstart-vasternorrland") is None


def test_a_retired_goal_area_is_not_offered(client, login_as):
    make_goal_area("Regional bibliotekssamverkan")
    retired = make_goal_area("Gammalt målområde")
    retired.is_retired = True
    db.session.commit()
    login_as("staff")
    page = client.get("/projekt/nytt").get_data(as_text=True)
    assert "Regional bibliotekssamverkan" in page
    assert "Gammalt målområde" not in page


def test_a_forged_lead_id_of_a_member_is_refused(client, login_as):
    area = make_goal_area()
    member = make_user(role="member")
    login_as("staff")
    page = client.post("/projekt/nytt", data=project_form(area, lead_id=member.id)).get_data(
        as_text=True
    )
    assert 'id="lead_id-error"' in page
    assert stored("bokstart-vasternorrland") is None


def test_a_forged_lead_id_of_nobody_is_refused(client, login_as):
    area = make_goal_area()
    login_as("staff")
    page = client.post("/projekt/nytt", data=project_form(area, lead_id=99999)).get_data(
        as_text=True
    )
    assert "Projektledaren ska vara anställd på länsbiblioteket." in page
    assert stored("bokstart-vasternorrland") is None


def test_a_forged_lead_id_on_edit_leaves_the_lead_unchanged(client, login_as):
    lead = make_user(role="staff")
    project = make_project(slug="bokstart", lead=lead)
    member = make_user(role="member")
    login_as("staff")
    form = project_form(project.goal_area, version=project.version, lead_id=member.id)
    client.post("/projekt/bokstart/andra", data=form)
    assert stored("bokstart").lead_id == lead.id


def test_member_of_timra_cannot_edit_kramfors_project(client, login_as):
    kramfors = make_organisation("Kramfors bibliotek", municipality_name="Kramfors")
    timra = make_organisation("Timrå bibliotek", municipality_name="Timrå")
    project = make_project("Bokstart", slug="bokstart", participants=[kramfors])
    login_as("member", organisation=timra)
    assert client.get("/projekt/bokstart/andra").status_code == 403
    form = project_form(project.goal_area, version=project.version, title="Kapad")
    assert client.post("/projekt/bokstart/andra", data=form).status_code == 403
    assert stored("bokstart").title == "Bokstart"


def test_a_stranger_gets_the_login_page(client):
    make_project(slug="bokstart")
    response = client.get("/projekt/bokstart")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/logga-in")


def test_team_member_edits_the_project_and_the_change_is_audited(client, login_as):
    member = make_user(role="member")
    project = make_project("Bokstart", slug="bokstart", team=[member])
    client.post(
        "/logga-in", data={"email": member.email, "password": "stilla-morgon-vid-ångermanälven"}
    )
    form = project_form(
        project.goal_area,
        version=project.version,
        title="Bokstart",
        slug="bokstart",
        health="at_risk",
        health_reason="Sjukskrivning",
        team_ids=[member.id],
    )
    response = client.post("/projekt/bokstart/andra", data=form)
    assert response.status_code == 302
    assert stored("bokstart").health == "at_risk"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "update"))
    assert entry.changes["health"] == ["on_track", "at_risk"]
    assert entry.actor_id == member.id


def test_second_person_saving_an_old_version_is_told_and_nothing_is_overwritten(client, login_as):
    project = make_project("Bokstart", slug="bokstart")
    opened_version = project.version
    login_as("staff")
    first = project_form(
        project.goal_area,
        version=opened_version,
        title="Bokstart",
        slug="bokstart",
        summary="Först",
    )
    assert client.post("/projekt/bokstart/andra", data=first).status_code == 302
    second = project_form(
        project.goal_area, version=opened_version, title="Bokstart", slug="bokstart", summary="Sist"
    )
    response = client.post("/projekt/bokstart/andra", data=second)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Någon annan har sparat projektet medan du skrev." in page
    assert "Sist" in page  # what was typed is kept
    assert stored("bokstart").summary == "Först"


def test_changing_only_the_team_moves_the_version(client, login_as):
    project = make_project("Bokstart", slug="bokstart")
    opened_version = project.version
    colleague = make_user(role="member")
    login_as("staff")
    form = project_form(
        project.goal_area,
        version=opened_version,
        title="Bokstart",
        slug="bokstart",
        summary=project.summary,
        description=project.description,
        status=project.status,
        starts_on="",
        ends_on="",
        team_ids=[colleague.id],
    )
    client.post("/projekt/bokstart/andra", data=form)
    changed = stored("bokstart")
    assert [user.id for user in changed.team] == [colleague.id]
    assert changed.version == opened_version + 1


def test_staff_deletes_a_project_and_the_deletion_is_audited(client, login_as):
    make_project("Bokstart", slug="bokstart")
    login_as("staff")
    response = client.post("/projekt/bokstart/ta-bort")
    assert response.status_code == 302
    assert stored("bokstart") is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "delete"))
    assert entry.entity == "project"


def test_editor_adds_a_participant_with_a_role(client, login_as):
    make_project("Bokstart", slug="bokstart")
    solleftea = make_organisation("Sollefteå bibliotek", municipality_name="Sollefteå")
    login_as("staff")
    form = {"organisation_id": solleftea.id, "role": "co_applicant"}
    assert client.post("/projekt/bokstart/deltagare", data=form).status_code == 302
    page = client.get("/projekt/bokstart/deltagare").get_data(as_text=True)
    assert "Sollefteå bibliotek" in page
    assert "Medsökande" in page


def test_adding_the_same_organisation_twice_is_refused(client, login_as):
    kramfors = make_organisation("Kramfors bibliotek")
    make_project("Bokstart", slug="bokstart", participants=[kramfors])
    login_as("staff")
    form = {"organisation_id": kramfors.id, "role": "partner"}
    response = client.post("/projekt/bokstart/deltagare", data=form)
    assert response.status_code == 400
    assert "Kramfors bibliotek deltar redan i projektet." in response.get_data(as_text=True)


def test_editor_removes_a_participant(client, login_as):
    kramfors = make_organisation("Kramfors bibliotek")
    project = make_project("Bokstart", slug="bokstart", participants=[kramfors])
    participant_id = project.participants[0].id
    login_as("staff")
    response = client.post(f"/projekt/bokstart/deltagare/{participant_id}/ta-bort")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ProjectParticipant, participant_id) is None


def test_member_of_a_participating_organisation_cannot_remove_participants(client, login_as):
    kramfors = make_organisation("Kramfors bibliotek")
    project = make_project("Bokstart", slug="bokstart", participants=[kramfors])
    participant_id = project.participants[0].id
    login_as("member", organisation=kramfors)
    response = client.post(f"/projekt/bokstart/deltagare/{participant_id}/ta-bort")
    assert response.status_code == 403


def test_adding_a_participant_is_audited(client, login_as):
    make_project("Bokstart", slug="bokstart")
    solleftea = make_organisation("Sollefteå bibliotek")
    login_as("staff")
    client.post(
        "/projekt/bokstart/deltagare", data={"organisation_id": solleftea.id, "role": "partner"}
    )
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity == "participant"))
    assert entry.action == "create"
    assert entry.changes["organisation_id"] == [None, solleftea.id]


def test_a_forged_status_is_refused_beside_the_field(client, login_as):
    area = make_goal_area()
    login_as("staff")
    page = client.post("/projekt/nytt", data=project_form(area, status="approved")).get_data(
        as_text=True
    )
    assert 'id="status-error"' in page
    assert stored("bokstart-vasternorrland") is None


def test_a_member_cannot_create_a_project(client, login_as):
    area = make_goal_area()
    login_as("member")
    assert client.post("/projekt/nytt", data=project_form(area)).status_code == 403
    assert stored("bokstart-vasternorrland") is None


def test_project_page_links_to_its_goal_area_and_menu_links_to_the_project_list(client, login_as):
    area = make_goal_area("Litteratur och läsfrämjande")
    project = make_project("Bokstart", goal_area=area)
    login_as("member")
    page = client.get(f"/projekt/{project.slug}").get_data(as_text=True)
    assert f'<a href="/malomraden/{area.id}">Litteratur och läsfrämjande</a>' in page
    assert '<a href="/projekt">Projekt</a>' in page
