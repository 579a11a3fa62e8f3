"""Following a project: the team, the lead and the followers get one email per new update."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.projects.models import ProgressUpdate, project_followers
from tests.factories import make_organisation, make_user
from tests.projects.factories import make_project

# The outbox's status writer records deliveries on a connection of its own: real commits.
pytestmark = pytest.mark.commits


def post_update(client, project, **fields):
    response = client.post(
        f"/projekt/{project.slug}/uppdateringar",
        data={"reported_on": "2016-05-02", "text": "Första träffarna i Kramfors.", **fields},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(select(ProgressUpdate).order_by(ProgressUpdate.id.desc()))


def test_any_logged_in_user_follows_and_unfollows_a_project(client, login_as):
    project = make_project()
    user = login_as("member")

    assert client.post(f"/projekt/{project.slug}/folj").status_code == 302
    client.post(f"/projekt/{project.slug}/folj")
    rows = db.session.execute(select(project_followers)).all()
    assert [(row.project_id, row.user_id) for row in rows] == [(project.id, user.id)]
    page = client.get(f"/projekt/{project.slug}/uppdateringar").get_data(as_text=True)
    assert "Sluta följa projektet" in page

    assert client.post(f"/projekt/{project.slug}/sluta-folja").status_code == 302
    assert db.session.execute(select(project_followers)).all() == []


def test_team_lead_and_followers_get_one_email_each_but_not_the_author(
    client, login_as, deliver_outbox, sent_messages
):
    kramfors = make_organisation("Kramfors bibliotek", municipality_name="Kramfors")
    lead = make_user(role="staff", email="lead@lansbibliotek.example")
    member = make_user(email="team@lansbibliotek.example", language="en")
    follower = make_user(email="follower@solleftea.example")
    project = make_project(lead=lead, team=[member], participants=[kramfors], slug="bokstart")
    project.followers = [follower, member]
    db.session.commit()
    author = login_as("member", organisation=kramfors, email="karin@kramfors.example")
    client.post(f"/projekt/{project.slug}/folj")

    update = post_update(client, project)
    deliver_outbox()

    messages = sent_messages()
    recipients = sorted(message["To"] for message in messages)
    assert recipients == [
        "follower@solleftea.example",
        "lead@lansbibliotek.example",
        "team@lansbibliotek.example",
    ]
    assert author.email not in recipients
    link = f"http://portal.test/projekt/bokstart/uppdateringar#uppdatering-{update.id}"
    for message in messages:
        assert link in message.get_body(("plain",)).get_content()
    english = next(m for m in messages if m["To"] == "team@lansbibliotek.example")
    assert english["Subject"].startswith("New update in")


def test_changed_health_sends_the_health_email(client, login_as, deliver_outbox, sent_messages):
    lead = make_user(role="staff", email="lead@lansbibliotek.example")
    project = make_project(lead=lead)
    login_as("staff")

    post_update(client, project, health="off_track", health_reason="Personalen har slutat")
    deliver_outbox()

    [message] = sent_messages()
    assert message["To"] == "lead@lansbibliotek.example"
    assert message["Subject"].startswith("Läget har ändrats i")
    assert "Personalen har slutat" in message.get_body(("plain",)).get_content()


def test_health_changed_on_the_project_form_emails_the_followers(
    client, login_as, deliver_outbox, sent_messages
):
    follower = make_user(email="follower@solleftea.example")
    project = make_project(slug="bokstart", lead=None)
    project.followers = [follower]
    db.session.commit()
    login_as("staff")

    response = client.post(
        "/projekt/bokstart/andra",
        data={
            "version": project.version,
            "title": project.title,
            "slug": "bokstart",
            "goal_area_id": project.goal_area_id,
            "status": "running",
            "health": "at_risk",
            "health_reason": "Sen leverans av böcker",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    deliver_outbox()

    [message] = sent_messages()
    assert message["To"] == "follower@solleftea.example"
    body = message.get_body(("plain",)).get_content()
    assert "Sen leverans av böcker" in body
    assert "http://portal.test/projekt/bokstart/uppdateringar" in body
