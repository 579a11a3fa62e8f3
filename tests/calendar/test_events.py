"""Events: staff write them and aim them at an audience; each person sees only theirs."""

from datetime import UTC, datetime

from sqlalchemy import select

from portal.calendar.models import Event
from portal.extensions import db
from tests.calendar.factories import make_event, swedish
from tests.factories import make_organisation
from tests.projects.factories import make_project

LITTFEST = {
    "title": "Littfest i Umeå",
    "starts_at": "2027-03-11T10:00",
    "ends_at": "2027-03-11 16:30",
    "place": "Kulturväven, Umeå",
    "description": "Vi åker **buss** från Härnösand.",
    "audience": "everyone",
}


def test_staff_add_an_event_typed_in_swedish_time_that_a_librarian_reads(client, login_as):
    login_as("staff")
    response = client.post("/kalender/ny", data=LITTFEST)
    assert response.status_code == 302
    event = db.session.scalar(select(Event))
    assert response.headers["Location"].endswith(f"/kalender/{event.id}")
    assert event.starts_at == datetime(2027, 3, 11, 9, 0, tzinfo=UTC)  # 10:00 in Sweden, winter
    assert event.ends_at == datetime(2027, 3, 11, 15, 30, tzinfo=UTC)

    client.post("/logga-ut")
    login_as("member")
    page = client.get(f"/kalender/{event.id}").get_data(as_text=True)
    assert "<h1>Littfest i Umeå</h1>" in page
    assert "2027-03-11 10:00–16:30" in page
    assert "Kulturväven, Umeå" in page
    assert "<strong>buss</strong>" in page


def test_summer_time_is_kept_apart_from_winter_time(client, login_as):
    login_as("staff")
    client.post(
        "/kalender/ny",
        data={**LITTFEST, "starts_at": "2027-06-02 10:00", "ends_at": "2027-06-02 12:00"},
    )
    assert db.session.scalar(select(Event.starts_at)) == datetime(2027, 6, 2, 8, 0, tzinfo=UTC)


def test_an_all_day_event_keeps_its_days_from_swedish_midnight(client, login_as):
    login_as("staff")
    client.post(
        "/kalender/ny",
        data={**LITTFEST, "starts_at": "2027-03-11", "ends_at": "2027-03-13 15:00", "all_day": "y"},
    )
    event = db.session.scalar(select(Event))
    assert event.all_day
    assert event.starts_at == swedish(2027, 3, 11)
    assert event.ends_at == swedish(2027, 3, 13)
    page = client.get(f"/kalender/{event.id}").get_data(as_text=True)
    assert "2027-03-11 – 2027-03-13" in page


def test_a_member_cannot_add_change_or_delete_events(client, login_as):
    event = make_event()
    login_as("member")
    assert client.get("/kalender/ny").status_code == 403
    assert client.post("/kalender/ny", data=LITTFEST).status_code == 403
    assert client.post(f"/kalender/{event.id}/andra", data=LITTFEST).status_code == 403
    assert client.post(f"/kalender/{event.id}/ta-bort").status_code == 403
    assert db.session.scalars(select(Event.title)).all() == ["Littfest i Umeå"]
    assert "Lägg till en händelse" not in client.get("/kalender").get_data(as_text=True)


def test_a_stranger_is_sent_to_the_login_page(client):
    event = make_event()
    for path in ("/kalender", f"/kalender/{event.id}", "/kalender/ny"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/logga-in")


def test_staff_change_and_delete_an_event(client, login_as):
    event = make_event()
    login_as("staff")
    form = client.get(f"/kalender/{event.id}/andra").get_data(as_text=True)
    assert 'value="2027-03-11 10:00"' in form  # shown in Swedish time, as stored in UTC
    response = client.post(
        f"/kalender/{event.id}/andra", data={**LITTFEST, "title": "Littfest 2027"}
    )
    assert response.status_code == 302
    db.session.refresh(event)
    assert event.title == "Littfest 2027"
    assert client.post(f"/kalender/{event.id}/ta-bort").status_code == 302
    assert db.session.scalar(select(Event)) is None


def test_an_event_for_some_organisations_is_invisible_to_another_organisations_member(
    client, login_as
):
    ange = make_organisation("Ånge bibliotek")
    timra = make_organisation("Timrå bibliotek")
    event = make_event(
        title="Läsfrämjande i Ånge",
        audience="organisations",
        organisations=[ange],
        starts_at=datetime.now(UTC),
        ends_at=datetime.now(UTC),
    )
    login_as("member", organisation=timra)
    assert client.get(f"/kalender/{event.id}").status_code == 404
    assert "Läsfrämjande i Ånge" not in client.get("/kalender").get_data(as_text=True)
    client.post("/logga-ut")
    login_as("member", organisation=ange)
    assert client.get(f"/kalender/{event.id}").status_code == 200
    assert "Läsfrämjande i Ånge" in client.get("/kalender").get_data(as_text=True)


def test_an_event_for_a_project_is_seen_by_its_team_and_participants_only(client, login_as):
    kramfors = make_organisation("Kramfors bibliotek")
    project = make_project("Bokstart Västernorrland", participants=[kramfors])
    event = make_event(title="Bokstartsträff", audience="project", audience_project=project)
    login_as("member", organisation=make_organisation("Ånge bibliotek"))
    assert client.get(f"/kalender/{event.id}").status_code == 404
    client.post("/logga-ut")
    login_as("member", organisation=kramfors)
    assert client.get(f"/kalender/{event.id}").status_code == 200
    client.post("/logga-ut")
    member_of_team = login_as("member")
    project.team.append(member_of_team)
    db.session.commit()
    assert client.get(f"/kalender/{event.id}").status_code == 200


def test_staff_see_every_event_and_whom_it_is_for(client, login_as):
    ange = make_organisation("Ånge bibliotek")
    event = make_event(audience="organisations", organisations=[ange])
    login_as("staff")
    page = client.get(f"/kalender/{event.id}").get_data(as_text=True)
    assert "Vissa organisationer (Ånge bibliotek)" in page


def test_an_unknown_event_is_not_found(client, login_as):
    login_as("staff")
    assert client.get("/kalender/999999").status_code == 404
    assert client.get("/kalender/999999/andra").status_code == 404


def test_an_end_before_the_start_is_refused_beside_the_field_and_the_text_is_kept(client, login_as):
    login_as("staff")
    response = client.post("/kalender/ny", data={**LITTFEST, "ends_at": "2027-03-11 09:00"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="ends_at-error"' in page and "Slutet kan inte ligga före början." in page
    assert 'value="Littfest i Umeå"' in page
    assert "Vi åker **buss** från Härnösand." in page
    assert db.session.scalar(select(Event)) is None


def test_a_garbled_time_gets_a_swedish_message(client, login_as):
    login_as("staff")
    response = client.post("/kalender/ny", data={**LITTFEST, "starts_at": "nästa torsdag"})
    page = response.get_data(as_text=True)
    assert "Ange datum och tid som 2026-12-02 08:00." in page
    assert 'value="nästa torsdag"' in page
    assert db.session.scalar(select(Event)) is None


def test_a_time_in_year_1_gets_a_swedish_message(client, login_as):
    """Year 1 in Swedish time is year 0 in UTC, which Python cannot hold: it was a 500."""
    login_as("staff")
    response = client.post("/kalender/ny", data={**LITTFEST, "starts_at": "0001-01-01 10:00"})
    assert response.status_code == 200
    assert "Ange en tid mellan år 1900 och 2200." in response.get_data(as_text=True)
    assert db.session.scalar(select(Event)) is None


def test_a_missing_time_is_asked_for(client, login_as):
    login_as("staff")
    response = client.post("/kalender/ny", data={**LITTFEST, "ends_at": ""})
    assert "Fyll i fältet." in response.get_data(as_text=True)
    assert db.session.scalar(select(Event)) is None


def test_an_event_for_some_organisations_needs_at_least_one(client, login_as):
    login_as("staff")
    response = client.post("/kalender/ny", data={**LITTFEST, "audience": "organisations"})
    assert "Välj minst en organisation som händelsen gäller." in response.get_data(as_text=True)
    assert db.session.scalar(select(Event)) is None


def test_an_event_for_a_project_needs_the_project(client, login_as):
    login_as("staff")
    response = client.post("/kalender/ny", data={**LITTFEST, "audience": "project"})
    page = response.get_data(as_text=True)
    assert "Välj projektet vars grupp och deltagare händelsen gäller." in page
    assert db.session.scalar(select(Event)) is None


def test_forged_ids_and_audiences_are_refused(client, login_as):
    login_as("staff")
    forged = [
        {"audience": "organisations", "organisation_ids": ["999999"]},
        {"audience": "organisations", "organisation_ids": ["inte-ett-id"]},
        {"audience": "project", "audience_project_id": "999999"},
        {"audience": "alla-utom-timra"},
    ]
    for fields in forged:
        response = client.post("/kalender/ny", data={**LITTFEST, **fields})
        assert response.status_code == 200, fields
    assert db.session.scalar(select(Event)) is None


def test_script_in_the_description_is_removed_and_braces_shown_as_text(client, login_as):
    login_as("staff")
    client.post(
        "/kalender/ny",
        data={
            **LITTFEST,
            "title": "<script>alert(1)</script> Littfest",
            "description": '<img src=x onerror="alert(1)"> [klick](javascript:alert(2)) {{7*7}}',
        },
    )
    event = db.session.scalar(select(Event))
    page = client.get(f"/kalender/{event.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "<img" not in page
    assert 'href="javascript:' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Littfest" in page
    assert "{{7*7}}" in page


def test_saving_an_event_without_the_csrf_token_is_refused(app, client, login_as):
    login_as("staff")
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/kalender/ny", data=LITTFEST).status_code == 400
    assert db.session.scalar(select(Event)) is None
