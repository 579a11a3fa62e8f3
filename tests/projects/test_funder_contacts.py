"""Funders and their contacts: staff keep who receives the projects' reports."""

import pytest
from sqlalchemy import select

from portal.core.errors import ValidationError
from portal.extensions import db
from portal.projects.contacts import services as contacts
from portal.projects.models import FunderContact
from tests.factories import make_organisation
from tests.projects.factories import make_project
from tests.projects.funding_factories import make_funder_contact, make_grant

NEW_CONTACT = {
    "name": "Maria Lindqvist",
    "email": "maria.lindqvist@kulturradet.example.org",
    "role": "Handläggare",
    "phone": "08-519 264 00",
    "receives_reports": "y",
}


def all_contacts() -> list[FunderContact]:
    db.session.expire_all()
    return db.session.scalars(select(FunderContact).order_by(FunderContact.id)).all()


def test_funder_list_shows_funders_and_organisations_that_granted_money(client, login_as):
    login_as("staff")
    make_organisation("Kulturrådet", kind="funder")
    foundation = make_organisation("Stiftelsen Längmanska", kind="other")
    make_grant(make_project("Bokstart"), funder=foundation)
    make_organisation("Timrå bibliotek", kind="municipal_library")

    page = client.get("/finansiarer").get_data(as_text=True)

    assert "Kulturrådet" in page
    assert "Stiftelsen Längmanska" in page
    assert "Timrå bibliotek" not in page
    assert "Ingen – lägg till en kontaktperson" in page  # the foundation's grant has no recipient


def test_staff_add_a_contact_who_then_receives_the_grants_reports(client, login_as):
    login_as("staff")
    kulturradet = make_organisation("Kulturrådet", kind="funder")
    grant = make_grant(make_project("Bokstart"), funder=kulturradet)

    response = client.post(f"/finansiarer/{kulturradet.id}/kontakter", data=NEW_CONTACT)

    assert response.status_code == 302
    (contact,) = all_contacts()
    assert (contact.name, contact.email, contact.role) == (
        "Maria Lindqvist",
        "maria.lindqvist@kulturradet.example.org",
        "Handläggare",
    )
    assert contact.receives_reports is True
    assert contacts.recipients_for_grant(grant) == [contact]
    page = client.get(f"/finansiarer/{kulturradet.id}/kontakter").get_data(as_text=True)
    assert "maria.lindqvist@kulturradet.example.org" in page


def test_contact_without_email_is_refused_and_keeps_what_was_typed(client, login_as):
    login_as("staff")
    kulturradet = make_organisation("Kulturrådet", kind="funder")

    response = client.post(
        f"/finansiarer/{kulturradet.id}/kontakter", data={**NEW_CONTACT, "email": ""}
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Fyll i kontaktpersonens e-postadress: rapporterna skickas dit." in page
    assert 'value="Maria Lindqvist"' in page
    assert 'value="Handläggare"' in page
    assert all_contacts() == []


def test_contact_with_a_malformed_email_is_refused_with_a_swedish_message(client, login_as):
    login_as("staff")
    kulturradet = make_organisation("Kulturrådet", kind="funder")

    response = client.post(
        f"/finansiarer/{kulturradet.id}/kontakter",
        data={**NEW_CONTACT, "email": "maria.kulturradet"},
    )

    page = response.get_data(as_text=True)
    assert "Ange en giltig e-postadress, till exempel namn@kulturradet.se." in page
    assert 'value="maria.kulturradet"' in page
    assert all_contacts() == []


@pytest.mark.parametrize("email", ["", "   ", "maria@", "a@b.se\r\nBcc: x@y.se"])
def test_service_refuses_a_contact_without_a_valid_email(app, email):
    kulturradet = make_organisation("Kulturrådet", kind="funder")

    with pytest.raises(ValidationError) as refused:
        contacts.save_contact(None, kulturradet, None, name="Maria Lindqvist", email=email)

    assert refused.value.field == "email"


def test_staff_edit_a_contact_to_stop_receiving_reports(client, login_as):
    login_as("admin")
    kulturradet = make_organisation("Kulturrådet", kind="funder")
    grant = make_grant(make_project("Bokstart"), funder=kulturradet)
    contact = make_funder_contact(kulturradet)

    form = {**NEW_CONTACT, "role": "Enhetschef"}
    del form["receives_reports"]
    response = client.post(f"/finansiarer/{kulturradet.id}/kontakter/{contact.id}", data=form)

    assert response.status_code == 302
    (changed,) = all_contacts()
    assert changed.role == "Enhetschef"
    assert changed.receives_reports is False
    assert contacts.recipients_for_grant(grant) == []


def test_staff_delete_a_contact(client, login_as):
    login_as("staff")
    kulturradet = make_organisation("Kulturrådet", kind="funder")
    contact = make_funder_contact(kulturradet)

    response = client.post(f"/finansiarer/{kulturradet.id}/kontakter/{contact.id}/ta-bort")

    assert response.status_code == 302
    assert all_contacts() == []


def test_recipients_are_the_grants_funders_contacts_who_receive_reports(app):
    kulturradet = make_organisation("Kulturrådet", kind="funder")
    region = make_organisation("Region Västernorrland", kind="funder")
    grant = make_grant(make_project("Bokstart"), funder=kulturradet)
    receiver = make_funder_contact(kulturradet, name="Maria Lindqvist")
    make_funder_contact(
        kulturradet,
        name="Registrator",
        email="registrator@kulturradet.example.org",
        receives_reports=False,
    )
    make_funder_contact(region, name="Johan Berglund", email="johan@region.example.org")

    assert contacts.recipients_for_grant(grant) == [receiver]


def test_organisation_that_is_no_funder_has_no_contact_page(client, login_as):
    login_as("staff")
    library = make_organisation("Timrå bibliotek", kind="municipal_library")

    assert client.get(f"/finansiarer/{library.id}/kontakter").status_code == 404


def test_member_is_refused_the_funders_and_cannot_add_a_contact(client, login_as):
    login_as("member")
    kulturradet = make_organisation("Kulturrådet", kind="funder")

    assert client.get("/finansiarer").status_code == 403
    response = client.post(f"/finansiarer/{kulturradet.id}/kontakter", data=NEW_CONTACT)
    assert response.status_code == 403
    assert all_contacts() == []


def test_stranger_is_sent_to_the_login_page(client):
    response = client.get("/finansiarer")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/logga-in")


def test_nav_shows_funders_to_staff_but_not_to_members(client, login_as):
    login_as("member")
    assert 'href="/finansiarer"' not in client.get("/").get_data(as_text=True)
    client.post("/logga-ut")
    login_as("staff")
    assert 'href="/finansiarer"' in client.get("/").get_data(as_text=True)
