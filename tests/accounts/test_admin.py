import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.accounts.models import Organisation, User
from portal.extensions import db
from tests.factories import make_organisation, make_user


def test_admin_filters_users_by_organisation_and_role(client, login_as):
    kramfors = make_organisation("Kramfors bibliotek")
    timra = make_organisation("Timrå bibliotek")
    make_user(name="Karin Holm", organisation=kramfors)
    make_user(name="Kalle Kramfors", organisation=kramfors, role="staff")
    make_user(name="Tove Timrå", organisation=timra)
    login_as("admin", name="Astrid Nordin")
    page = client.get(f"/admin/anvandare?organisation={kramfors.id}&roll=member").get_data(
        as_text=True
    )
    assert "Karin Holm" in page
    assert "Kalle Kramfors" not in page
    assert "Tove Timrå" not in page


def test_admin_changes_a_users_role(client, login_as):
    person = make_user(name="Karin Holm")
    login_as("admin")
    response = client.post(f"/admin/anvandare/{person.id}", data={"role": "staff"})
    assert response.status_code == 302
    db.session.refresh(person)
    assert person.role == "staff"


def test_admin_cannot_change_own_role(client, login_as):
    admin = login_as("admin")
    response = client.post(f"/admin/anvandare/{admin.id}", data={"role": "member"})
    assert response.status_code == 200
    assert "Du kan inte ändra din egen roll." in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.role == "admin"


def test_admin_cannot_deactivate_self(client, login_as):
    admin = login_as("admin")
    response = client.post(f"/admin/anvandare/{admin.id}/aktiv", data={"active": "0"})
    assert response.status_code == 400
    db.session.refresh(admin)
    assert admin.active


def test_admin_reactivates_a_user_who_can_then_log_in(client, login_as):
    person = make_user(email="karin@kramfors.example", active=False)
    login_as("admin")
    client.post(f"/admin/anvandare/{person.id}/aktiv", data={"active": "1"})
    db.session.refresh(person)
    assert person.active


def test_staff_and_members_cannot_change_roles(client, login_as):
    person = make_user(name="Karin Holm")
    login_as("staff")
    assert client.post(f"/admin/anvandare/{person.id}", data={"role": "admin"}).status_code == 403
    db.session.refresh(person)
    assert person.role == "member"


def test_admin_creates_and_edits_an_organisation(client, login_as):
    login_as("admin")
    response = client.post(
        "/admin/organisationer/ny",
        data={
            "name": "Bjästa skola",
            "kind": "school",
            "municipality_name": "Örnsköldsvik",
            "municipality_code": "2284",
            "contact_email": "Rektor@Bjasta.example",
        },
    )
    assert response.status_code == 302
    school = db.session.scalar(select(Organisation).where(Organisation.name == "Bjästa skola"))
    assert (school.kind, school.contact_email) == ("school", "rektor@bjasta.example")
    client.post(
        f"/admin/organisationer/{school.id}",
        data={"name": "Bjästa skola F–9", "kind": "school", "municipality_code": "2284"},
    )
    db.session.refresh(school)
    assert school.name == "Bjästa skola F–9"
    assert "Bjästa skola F–9" in client.get("/admin/organisationer").get_data(as_text=True)


def test_duplicate_organisation_name_is_refused_and_form_kept(client, login_as):
    make_organisation("Kramfors bibliotek")
    login_as("admin")
    response = client.post(
        "/admin/organisationer/ny",
        data={"name": "kramfors bibliotek", "kind": "municipal_library", "municipality_code": "22"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Kommunkoden har fyra siffror." in page
    assert 'value="kramfors bibliotek"' in page
    response = client.post(
        "/admin/organisationer/ny", data={"name": "kramfors bibliotek", "kind": "municipal_library"}
    )
    assert "Det finns redan en organisation med det namnet." in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(Organisation)) == 1


def test_emails_are_unique_whatever_their_case(app):
    make_user(email="Karin@Kramfors.example")
    stored = db.session.scalar(select(User.email))
    assert stored == "karin@kramfors.example"

    with pytest.raises(IntegrityError):
        make_user(email="KARIN@kramfors.example")
    db.session.rollback()


def test_organisation_contact_email_with_header_injection_is_refused(client, login_as):
    login_as("admin")
    response = client.post(
        "/admin/organisationer/ny",
        data={
            "name": "Bjästa skola",
            "kind": "school",
            "contact_email": "rektor@bjasta.example\r\nBcc: spion@example.com",
        },
    )
    assert response.status_code == 200
    assert "Ange en giltig e-postadress" in response.get_data(as_text=True)
    assert (
        db.session.scalar(select(Organisation).where(Organisation.name == "Bjästa skola")) is None
    )
