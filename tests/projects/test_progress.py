"""A project's progress: milestones, updates with indicator values, indicators, history."""

from decimal import Decimal

from sqlalchemy import func, select

from portal.core.audit import AuditEntry
from portal.extensions import db
from portal.projects.models import Indicator, Measurement, Milestone, ProgressUpdate
from tests.factories import make_organisation, make_user
from tests.projects.factories import make_project


def kramfors_project():
    kramfors = make_organisation("Kramfors bibliotek", municipality_name="Kramfors")
    project = make_project("Bokstart Västernorrland", participants=[kramfors])
    project.indicators.append(Indicator(name="Familjer som nåtts", unit="familjer", target=400))
    db.session.commit()
    return project, kramfors


def update_form(project, **fields):
    indicator = project.indicators[0]
    return {
        "reported_on": "2016-05-02",
        "text": "Första träffarna på BVC i Kramfors.",
        "health": "",
        "municipality": "Kramfors",
        f"indicator_{indicator.id}": "12",
        **fields,
    }


def test_member_of_kramfors_posts_an_update_with_indicator_values(client, login_as):
    project, kramfors = kramfors_project()
    login_as("member", organisation=kramfors)
    indicator = project.indicators[0]

    response = client.post(
        f"/projekt/{project.slug}/uppdateringar",
        data=update_form(project, **{f"indicator_{indicator.id}": "12,5"}),
    )

    assert response.status_code == 302
    update = db.session.scalar(select(ProgressUpdate))
    assert response.headers["Location"].endswith(f"#uppdatering-{update.id}")
    measurement = db.session.scalar(select(Measurement))
    assert measurement.value == Decimal("12.5")
    assert measurement.municipality == "Kramfors"
    assert measurement.update_id == update.id
    page = client.get(f"/projekt/{project.slug}/uppdateringar").get_data(as_text=True)
    assert f'id="uppdatering-{update.id}"' in page
    assert "Första träffarna på BVC i Kramfors." in page


def test_member_of_timra_cannot_post_an_update_to_a_kramfors_project(client, login_as):
    project, _ = kramfors_project()
    login_as("member", organisation=make_organisation("Timrå bibliotek"))

    response = client.post(f"/projekt/{project.slug}/uppdateringar", data=update_form(project))

    assert response.status_code == 403
    assert db.session.scalar(select(ProgressUpdate)) is None


def test_stranger_is_sent_to_the_login_page(client):
    project, _ = kramfors_project()

    response = client.post(f"/projekt/{project.slug}/uppdateringar", data=update_form(project))

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/logga-in")


def test_garbage_indicator_value_is_refused_and_the_text_is_kept(client, login_as):
    project, kramfors = kramfors_project()
    login_as("member", organisation=kramfors)
    indicator = project.indicators[0]

    response = client.post(
        f"/projekt/{project.slug}/uppdateringar",
        data=update_form(project, **{f"indicator_{indicator.id}": "tolv"}),
    )

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="indicator_{indicator.id}-error"' in page
    assert 'value="tolv"' in page
    assert "Första träffarna på BVC i Kramfors." in page
    assert db.session.scalar(select(ProgressUpdate)) is None


def test_script_in_update_text_is_removed(client, login_as):
    project, kramfors = kramfors_project()
    login_as("member", organisation=kramfors)

    client.post(
        f"/projekt/{project.slug}/uppdateringar",
        data=update_form(project, text="Bra dag <script>alert('x')</script> **fet**"),
    )

    page = client.get(f"/projekt/{project.slug}/uppdateringar").get_data(as_text=True)
    assert "<strong>fet</strong>" in page
    assert "<script>alert" not in page


def test_update_with_health_changes_the_project_health_and_is_audited(client, login_as):
    project, _ = kramfors_project()
    login_as("staff")

    response = client.post(
        f"/projekt/{project.slug}/uppdateringar",
        data=update_form(project, health="at_risk", health_reason="BVC saknar personal"),
    )

    assert response.status_code == 302
    db.session.refresh(project)
    assert (project.health, project.health_reason) == ("at_risk", "BVC saknar personal")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity == "project"))
    assert entry.changes["health"] == ["on_track", "at_risk"]


def test_municipality_of_a_non_participant_is_refused(client, login_as):
    project, _ = kramfors_project()
    login_as("staff")

    response = client.post(
        f"/projekt/{project.slug}/uppdateringar", data=update_form(project, municipality="Timrå")
    )

    assert response.status_code == 400
    assert db.session.scalar(select(ProgressUpdate)) is None


def test_editor_adds_marks_done_and_deletes_a_milestone_with_audit(client, login_as):
    project, _ = kramfors_project()
    lead = make_user(role="staff", name="Lena Ledare")
    project.lead = lead
    db.session.commit()
    login_as("staff")
    base = f"/projekt/{project.slug}/milstolpar"

    response = client.post(
        f"{base}/ny",
        data={"title": "Utbildning för BVC", "due_on": "2016-06-01", "responsible_id": lead.id},
    )
    assert response.status_code == 302
    milestone = db.session.scalar(select(Milestone))
    assert milestone.responsible_id == lead.id
    page = client.get(base).get_data(as_text=True)
    assert "Utbildning för BVC" in page and "Lena Ledare" in page

    assert client.post(f"{base}/{milestone.id}/klar").status_code == 302
    db.session.refresh(milestone)
    assert milestone.done_on is not None

    assert client.post(f"{base}/{milestone.id}/ta-bort").status_code == 302
    assert db.session.scalar(select(Milestone)) is None
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity == "milestone").order_by(AuditEntry.id)
    ).all()
    assert actions == ["create", "update", "delete"]


def test_milestone_responsible_outside_the_project_is_refused(client, login_as):
    project, _ = kramfors_project()
    outsider = make_user(name="Utomstående")
    login_as("staff")

    response = client.post(
        f"/projekt/{project.slug}/milstolpar/ny",
        data={"title": "Utbildning", "due_on": "2016-06-01", "responsible_id": outsider.id},
    )

    assert response.status_code == 200
    assert "Välj en person i projektet" in response.get_data(as_text=True)
    assert db.session.scalar(select(Milestone)) is None


def test_indicator_target_accepts_a_comma_decimal_and_shows_actual_vs_target(client, login_as):
    project, kramfors = kramfors_project()
    login_as("staff")
    response = client.post(
        f"/projekt/{project.slug}/indikatorer/ny",
        data={"name": "Utlånade böcker", "unit": "böcker", "target": "1 000,5"},
    )
    assert response.status_code == 302
    indicator = db.session.scalar(select(Indicator).where(Indicator.name == "Utlånade böcker"))
    assert indicator.target == Decimal("1000.5")

    families = project.indicators[0]
    client.post(
        f"/projekt/{project.slug}/uppdateringar",
        data=update_form(project, **{f"indicator_{families.id}": "100"}),
    )
    client.post(
        f"/projekt/{project.slug}/uppdateringar",
        data=update_form(project, **{f"indicator_{families.id}": "50,5", "municipality": ""}),
    )

    page = client.get(f"/projekt/{project.slug}/indikatorer").get_data(as_text=True)
    assert "150,5" in page
    assert "Kramfors: 100" in page
    assert "38&nbsp;%" in page  # 150,5 of 400 is 37,6 %, rounded half up as on every page


def test_indicator_with_garbage_target_keeps_what_was_typed(client, login_as):
    project, _ = kramfors_project()
    login_as("staff")

    response = client.post(
        f"/projekt/{project.slug}/indikatorer/ny",
        data={"name": "Besök", "unit": "besök", "target": "många"},
    )

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="target-error"' in page and 'value="många"' in page


def test_history_shows_staff_who_changed_what_and_refuses_members(client, login_as):
    project, kramfors = kramfors_project()
    login_as("staff", name="Stina Stab")
    client.post(
        f"/projekt/{project.slug}/milstolpar/ny",
        data={"title": "Lansering", "due_on": "2016-06-01"},
    )

    page = client.get(f"/projekt/{project.slug}/historik").get_data(as_text=True)
    assert "Stina Stab" in page and "Lansering" in page
    assert "Milstolpen Lansering lades till." in page

    client.post("/logga-ut")
    login_as("member", organisation=kramfors)
    assert client.get(f"/projekt/{project.slug}/historik").status_code == 403


def test_every_bad_indicator_value_is_shown_beside_its_own_field(client, login_as):
    project, kramfors = kramfors_project()
    project.indicators.append(Indicator(name="Besök", unit="besök"))
    db.session.commit()
    first, second = project.indicators
    login_as("member", organisation=kramfors)

    response = client.post(
        f"/projekt/{project.slug}/uppdateringar",
        data=update_form(project, **{f"indicator_{first.id}": "x", f"indicator_{second.id}": "y"}),
    )

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="indicator_{first.id}-error"' in page
    assert f'id="indicator_{second.id}-error"' in page
    assert db.session.scalar(select(Measurement)) is None


def test_editor_removes_a_wrongly_typed_measurement_and_the_actual_drops(client, login_as):
    project, kramfors = kramfors_project()
    families = project.indicators[0]
    login_as("staff")
    for value in ("40", "4000"):
        client.post(
            f"/projekt/{project.slug}/uppdateringar",
            data=update_form(project, **{f"indicator_{families.id}": value}),
        )
    page = client.get(f"/projekt/{project.slug}/indikatorer").get_data(as_text=True)
    assert "4\u00a0040" in page
    typo = db.session.scalar(select(Measurement).where(Measurement.value == 4000))

    response = client.post(f"/projekt/{project.slug}/matningar/{typo.id}/ta-bort")

    assert response.status_code == 302
    page = client.get(f"/projekt/{project.slug}/indikatorer").get_data(as_text=True)
    assert "Kramfors: 40" in page
    assert "4\u00a0040" not in page
    assert db.session.scalar(select(func.count(ProgressUpdate.id))) == 2
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity == "measurement"))
    assert entry.action == "delete"
    assert entry.changes["value"][0] == "4000.00"


def test_removing_an_indicator_removes_its_measurements(client, login_as):
    project, _ = kramfors_project()
    families = project.indicators[0]
    login_as("staff")
    client.post(f"/projekt/{project.slug}/uppdateringar", data=update_form(project))

    response = client.post(f"/projekt/{project.slug}/indikatorer/{families.id}/ta-bort")

    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Measurement.id))) == 0
    page = client.get(f"/projekt/{project.slug}/indikatorer").get_data(as_text=True)
    assert "Familjer som nåtts" not in page.split("<h3>")[0]


def test_member_of_a_participating_library_cannot_remove_a_measurement(client, login_as):
    project, kramfors = kramfors_project()
    member = login_as("member", organisation=kramfors)
    client.post(f"/projekt/{project.slug}/uppdateringar", data=update_form(project))
    measurement = db.session.scalar(select(Measurement))
    assert member.organisation_id == kramfors.id

    response = client.post(f"/projekt/{project.slug}/matningar/{measurement.id}/ta-bort")

    assert response.status_code == 403
    assert db.session.scalar(select(func.count(Measurement.id))) == 1


def test_a_measurement_of_another_project_is_not_found(client, login_as):
    project, _ = kramfors_project()
    other = make_project("Läsambassadörer")
    other.indicators.append(
        Indicator(
            name="Besök",
            unit="besök",
            measurements=[Measurement(measured_on=project.created_at.date(), value=5)],
        )
    )
    db.session.commit()
    login_as("staff")
    foreign = other.indicators[0].measurements[0]

    response = client.post(f"/projekt/{project.slug}/matningar/{foreign.id}/ta-bort")

    assert response.status_code == 404
    assert db.session.get(Measurement, foreign.id) is not None
