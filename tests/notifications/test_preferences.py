"""Each person chooses, per kind, how often the portal emails them; notify() follows the choice."""

import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.notifications import preferences
from portal.notifications.models import DigestEntry, NotificationPreference, OutboundEmail
from portal.notifications.preferences import notify
from tests.factories import make_user
from tests.projects.factories import make_project

ALL_DAILY = {kind: "daily" for kind in preferences.KINDS}


def stored_choices(user) -> dict[str, str]:
    return dict(
        db.session.execute(
            select(NotificationPreference.kind, NotificationPreference.frequency).where(
                NotificationPreference.user_id == user.id
            )
        ).all()
    )


def checked_values(page: str) -> dict[str, str]:
    """{kind: frequency} of the checked radio buttons on the settings page."""
    return dict(
        re.findall(r'<input checked id="[\w-]+" name="(\w+)" type="radio" value="(\w+)"', page)
    )


def notify_about_update(users, summary="Vi har haft sagostund."):
    return notify(
        users,
        "project_updates",
        "project_update",
        "Ny uppdatering i Bokstart",
        link="http://portal.test/projekt/bokstart/uppdateringar",
        summary=summary,
        author=make_user(name="Karin Ek"),
        project=type("P", (), {"title": "Bokstart"})(),
        update=type("U", (), {"text": summary})(),
    )


def test_a_member_sees_the_member_defaults_with_a_labelled_radio_group_per_kind(client, login_as):
    login_as("member")
    page = client.get("/profil/aviseringar").get_data(as_text=True)

    assert checked_values(page) == preferences.MEMBER_DEFAULTS
    assert page.count("<fieldset") == 4
    assert "<legend>Nyheter</legend>" in page
    assert '<label for="news-0">Direkt, ett mejl per händelse</label>' in page
    assert "I en daglig sammanfattning (förval)" in page


def test_staff_get_news_weekly_by_default(client, login_as):
    login_as("staff")
    page = client.get("/profil/aviseringar").get_data(as_text=True)
    assert checked_values(page)["news"] == "weekly"


def test_the_profile_page_links_to_the_email_settings(client, login_as):
    login_as("member")
    assert 'href="/profil/aviseringar"' in client.get("/profil").get_data(as_text=True)


def test_saved_choices_are_shown_again_and_only_those_that_differ_from_the_default_stored(
    client, login_as
):
    user = login_as("member")
    response = client.post("/profil/aviseringar", data=ALL_DAILY)
    assert response.status_code == 302

    page = client.get("/profil/aviseringar").get_data(as_text=True)
    assert "Dina inställningar för e-post är sparade." in page
    assert checked_values(page) == ALL_DAILY
    assert stored_choices(user) == {"project_updates": "daily", "deadlines": "daily"}


def test_going_back_to_the_default_forgets_the_choice(client, login_as):
    user = login_as("member")
    client.post("/profil/aviseringar", data={**preferences.MEMBER_DEFAULTS, "news": "off"})
    assert stored_choices(user) == {"news": "off"}

    client.post("/profil/aviseringar", data=preferences.MEMBER_DEFAULTS)
    assert stored_choices(user) == {}


@pytest.mark.parametrize("value", ["sometimes", ""])
def test_a_choice_not_offered_gets_a_swedish_message_beside_its_group(client, login_as, value):
    user = login_as("member")
    form = {**ALL_DAILY, "documents": "off", "news": value}
    response = client.post("/profil/aviseringar", data=form)

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert (
        '<p class="error" id="news-error"><span>Välj hur ofta du vill få mejl om det här.' in page
    )
    assert 'aria-describedby="news-error"' in page
    assert checked_values(page)["documents"] == "off", "what was chosen is kept"
    assert stored_choices(user) == {}


def test_a_stranger_is_sent_to_the_login_page(client):
    response = client.get("/profil/aviseringar")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/logga-in")


def test_notify_emails_those_who_want_it_immediately_with_an_unsubscribe_address(app):
    karin = make_user(email="karin@kramfors.example")

    done = notify_about_update([karin])

    assert (done.emailed, done.digested, done.skipped) == (1, 0, 0)
    (row,) = db.session.scalars(select(OutboundEmail)).all()
    assert row.recipient == "karin@kramfors.example"
    assert row.list_unsubscribe.startswith("http://portal.test/avregistrera/")
    assert row.list_unsubscribe in row.text_body
    assert row.list_unsubscribe in row.html_body


@pytest.mark.parametrize("frequency", ["daily", "weekly"])
def test_notify_keeps_an_entry_for_the_digest_of_those_who_want_one(app, frequency):
    karin = make_user(email="karin@kramfors.example", language="en")
    preferences.save_frequencies(karin, {"project_updates": frequency})

    done = notify_about_update([karin], summary="We read stories.")

    assert (done.emailed, done.digested) == (0, 1)
    assert db.session.scalars(select(OutboundEmail)).all() == []
    (entry,) = db.session.scalars(select(DigestEntry)).all()
    assert (entry.user_id, entry.kind, entry.frequency) == (karin.id, "project_updates", frequency)
    assert entry.summary == "We read stories."
    assert entry.link == "http://portal.test/projekt/bokstart/uppdateringar"


def test_notify_sends_nothing_to_those_who_switched_the_kind_off(app):
    karin = make_user()
    preferences.save_frequencies(karin, {"project_updates": "off"})

    assert notify_about_update([karin]).skipped == 1
    assert db.session.scalars(select(OutboundEmail)).all() == []
    assert db.session.scalars(select(DigestEntry)).all() == []


def test_notify_tells_each_active_person_once(app):
    karin = make_user()
    gone = make_user(active=False)

    assert notify_about_update([karin, karin, gone]).emailed == 1
    assert [row.recipient for row in db.session.scalars(select(OutboundEmail))] == [karin.email]


def test_notify_refuses_a_kind_it_does_not_know(app):
    with pytest.raises(ValueError):
        notify([make_user()], "gossip", "project_update", "Hej", link="http://portal.test/")


def test_switching_a_kind_off_drops_what_waits_for_its_digest_and_moving_it_follows(app):
    karin = make_user()
    preferences.save_frequencies(karin, {"project_updates": "daily"})
    notify_about_update([karin])
    preferences.save_frequencies(karin, {"project_updates": "weekly"})
    assert db.session.scalar(select(DigestEntry.frequency)) == "weekly"

    preferences.save_frequencies(karin, {"project_updates": "off"})
    assert db.session.scalars(select(DigestEntry)).all() == []


def test_a_progress_update_reaches_the_team_as_each_member_wants(client, login_as, app):
    lead = login_as("staff")
    eager, patient = make_user(email="eager@ange.example"), make_user(email="patient@ange.example")
    preferences.save_frequencies(patient, {"project_updates": "weekly"})
    db.session.commit()
    project = make_project("Bokstart", lead=lead, team=[eager, patient])

    response = client.post(
        f"/projekt/{project.slug}/uppdateringar",
        data={"reported_on": "2016-03-15", "text": "Vi har haft sagostund."},
    )

    assert response.status_code == 302
    (email,) = db.session.scalars(select(OutboundEmail)).all()
    assert email.recipient == "eager@ange.example"
    assert email.list_unsubscribe
    (entry,) = db.session.scalars(select(DigestEntry)).all()
    assert (entry.user_id, entry.title) == (patient.id, "Ny uppdatering i Bokstart")
    assert entry.summary == "Vi har haft sagostund."
