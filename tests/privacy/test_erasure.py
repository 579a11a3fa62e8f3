"""An admin erases an account: no personal data is left in any table, what the person wrote
stays under the anonymised name, and the erasure is audited without the erased data."""

import json

import pytest
from sqlalchemy import JSON, String, Text, cast, func, select

from portal.accounts.models import Invitation, User
from portal.core.audit import AuditEntry
from portal.documents import storage
from portal.extensions import db
from portal.news.models import NewsComment
from portal.notifications.models import OutboundEmail
from portal.privacy import erasure
from portal.projects import facet_counts
from portal.projects.models import ProgressUpdate
from tests.factories import PASSWORD, make_organisation, make_user
from tests.privacy.factories import (
    EMAIL,
    NAME,
    OTHER_EMAIL,
    OTHER_NAME,
    PHONE,
    make_other_person,
    make_person,
)

pytestmark = pytest.mark.both_databases


def erase(client, person_id: int, **form):
    return client.post(f"/admin/anvandare/{person_id}/radera", data={"confirm": "y", **form})


def text_columns():
    """Every column of every table that holds text (JSON included)."""
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, String | Text | JSON):
                yield table, column


def places_holding(*needles: str) -> list[str]:
    """table.column of every row value that holds one of the needles, as stored (a JSON
    column's text may hold a non-ASCII string as \\u escapes, so that spelling too)."""
    spellings = {form for needle in needles for form in (needle, json.dumps(needle)[1:-1])}
    found = []
    for table, column in text_columns():
        as_text = cast(column, Text)
        for spelling in spellings:
            hits = db.session.scalar(
                select(func.count())
                .select_from(table)
                .where(as_text.contains(spelling, autoescape=True))
            )
            if hits:
                found.append(f"{table.name}.{column.name} holds {spelling!r}")
    return found


def test_erasure_leaves_no_personal_data_in_any_table(client, login_as):
    admin = make_user(role="admin", email="admin@lansbiblioteket.example", name="Astrid Admin")
    person = make_person(admin=admin)
    assert places_holding(EMAIL, NAME, PHONE)  # the search below finds them before
    login_as(user=admin)
    response = erase(client, person.user.id)
    assert response.status_code == 302
    db.session.expire_all()
    assert places_holding(EMAIL, NAME, PHONE) == []


def test_the_rows_that_exist_only_for_the_person_are_deleted(client, login_as):
    admin = make_user(role="admin", email="admin@lansbiblioteket.example")
    person = make_person()

    def rows_of_the_person() -> dict[str, int]:
        return {
            f"{column.table.name}.{column.name}": db.session.scalar(
                select(func.count()).select_from(column.table).where(column == person.user.id)
            )
            for column in erasure.PERSONAL_ROWS
        }

    assert all(rows_of_the_person().values())  # a session, a feed, a choice, a digest, a follow
    login_as(user=admin)
    erase(client, person.user.id)
    assert not any(rows_of_the_person().values())


def test_the_erased_persons_news_item_shows_under_the_anonymised_name(client, login_as):
    admin = make_user(role="admin", email="admin@lansbiblioteket.example")
    person = make_person()
    login_as(user=admin)
    erase(client, person.user.id)
    login_as("member")
    page = client.get(f"/nyheter/{person.news.id}").get_data(as_text=True)
    assert "Bokstart når hela länet" in page
    assert f"Borttagen användare {person.user.id}" in page
    assert "Vilken fin start!" in page  # the comment stays too
    assert NAME not in page


def test_what_they_wrote_stays_as_a_public_record(client, login_as):
    admin = make_user(role="admin", email="admin@lansbiblioteket.example")
    person = make_person()
    key = person.document.current.storage_key
    login_as(user=admin)
    erase(client, person.user.id)
    db.session.expire_all()
    assert db.session.get(NewsComment, person.comment.id).author_id == person.user.id
    assert db.session.get(ProgressUpdate, person.update.id).text == (
        "Första boklådorna är utdelade."
    )
    assert person.document.created_by_id == person.user.id
    assert storage.path_of(key).exists()
    assert person.report.versions[0].author_id == person.user.id
    assert person.project.lead_id == person.user.id


def test_the_account_is_anonymised_and_cannot_log_in(client, login_as):
    admin = make_user(role="admin", email="admin@lansbiblioteket.example")
    person = make_person()
    user_id = person.user.id
    login_as(user=admin)
    erase(client, user_id)
    db.session.expire_all()
    user = db.session.get(User, user_id)
    assert user.name == f"Borttagen användare {user_id}"
    assert user.email == f"borttagen-{user_id}@anonym.invalid"
    assert (user.phone, user.title, user.active) == (None, None, False)
    assert user.erased_at is not None
    client.post("/logga-ut")
    for address in (EMAIL, user.email):
        response = client.post("/logga-in", data={"email": address, "password": PASSWORD})
        assert response.status_code == 200  # the form again, no way in
        assert client.get("/profil").status_code == 302


def test_the_erased_persons_session_stops_working(client, login_as):
    admin = make_user(role="admin", email="admin@lansbiblioteket.example")
    person = make_person()
    login_as(user=person.user)
    assert client.get("/profil").status_code == 200
    erasure.erase_user(admin, person.user)
    db.session.commit()
    response = client.get("/profil")
    assert response.status_code == 302
    assert "/logga-in" in response.headers["Location"]


def test_the_erasure_is_audited_without_the_erased_data(client, login_as):
    admin = make_user(role="admin", email="admin@lansbiblioteket.example")
    person = make_person()
    login_as(user=admin)
    erase(client, person.user.id)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "erase"))
    assert (entry.actor_id, entry.entity, entry.entity_id) == (admin.id, "user", person.user.id)
    assert entry.changes == {}
    log = client.get("/admin/logg").get_data(as_text=True)
    assert f"Kontot för Borttagen användare {person.user.id}: raderad och anonymiserad" in log


def test_the_emails_to_them_and_their_invitation_are_deleted(client, login_as):
    admin = make_user(role="admin", email="admin@lansbiblioteket.example")
    person = make_person()
    login_as(user=admin)
    erase(client, person.user.id)
    assert db.session.scalars(select(OutboundEmail.recipient)).all() == [OTHER_EMAIL]
    assert db.session.scalars(select(Invitation)).all() == []


def test_another_persons_data_is_left_as_it_was(client, login_as):
    admin = make_user(role="admin", email="admin@lansbiblioteket.example")
    person = make_person()
    other = make_other_person()
    login_as(user=admin)
    erase(client, person.user.id)
    db.session.expire_all()
    assert (other.name, other.email, other.active) == (OTHER_NAME, OTHER_EMAIL, True)
    bodies = db.session.scalars(
        select(OutboundEmail.text_body).where(OutboundEmail.recipient == OTHER_EMAIL)
    ).all()
    assert len(bodies) == 2
    assert all(OTHER_NAME in body for body in bodies)
    # the copy of the erased name in Nils' email now reads as the anonymised name
    assert any(f"Borttagen användare {person.user.id}" in body for body in bodies)


def test_the_erasure_needs_the_confirmation(client, login_as):
    admin = make_user(role="admin", email="admin@lansbiblioteket.example")
    person = make_user(email=EMAIL, name=NAME)
    login_as(user=admin)
    page = client.get(f"/admin/anvandare/{person.id}/radera").get_data(as_text=True)
    assert f"Radera kontot för {NAME}" in page
    response = client.post(f"/admin/anvandare/{person.id}/radera", data={})
    assert response.status_code == 200
    assert "Kryssa i rutan för att bekräfta raderingen." in response.get_data(as_text=True)
    db.session.refresh(person)
    assert (person.name, person.erased_at) == (NAME, None)


def test_an_admin_cannot_erase_their_own_account(client, login_as):
    admin = login_as("admin", name="Astrid Admin")
    response = erase(client, admin.id)
    assert response.status_code == 200
    assert "Du kan inte radera ditt eget konto." in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.erased_at is None


def test_an_erased_account_is_not_erased_twice(client, login_as):
    admin = make_user(role="admin", email="admin@lansbiblioteket.example")
    person = make_user(email=EMAIL, name=NAME)
    login_as(user=admin)
    erase(client, person.id)
    page = client.get(f"/admin/anvandare/{person.id}/radera").get_data(as_text=True)
    assert "Kontot är redan raderat och anonymiserat." in page
    response = erase(client, person.id)
    assert "Kontot är redan raderat och anonymiserat." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).where(AuditEntry.action == "erase")) == 1


def test_the_user_page_links_to_the_erasure(client, login_as):
    person = make_user(email=EMAIL, name=NAME)
    login_as("admin")
    page = client.get(f"/admin/anvandare/{person.id}").get_data(as_text=True)
    assert f"/admin/anvandare/{person.id}/radera" in page


def test_the_erased_address_may_be_invited_again(client, login_as):
    admin = make_user(role="admin", email="admin@lansbiblioteket.example")
    organisation = make_organisation("Härnösands bibliotek")
    person = make_user(email=EMAIL, name=NAME, organisation=organisation)
    login_as(user=admin)
    erase(client, person.id)
    response = client.post(
        "/admin/anvandare/bjud-in",
        data={"email": EMAIL, "name": NAME, "organisation_id": organisation.id, "role": "member"},
    )
    assert response.status_code == 302


def test_every_reference_to_an_account_is_either_deleted_or_kept():
    """A new table with a column pointing at users.id must be put in PERSONAL_ROWS (deleted at
    erasure, as second factors are) or KEPT_REFERENCES (a record of the authority's work)."""
    references = {
        (fk.parent.table.name, fk.parent.name)
        for table in db.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column.table.name == "users"
    }
    classified = {
        (column.table.name, column.name)
        for column in (*erasure.PERSONAL_ROWS, *erasure.KEPT_REFERENCES)
    }
    assert references == classified


def test_an_erased_account_cannot_be_activated_again(client, login_as):
    admin = make_user(role="admin", email="admin@lansbiblioteket.example")
    person = make_user(email=EMAIL, name=NAME)
    login_as(user=admin)
    erase(client, person.id)
    page = client.get(f"/admin/anvandare/{person.id}").get_data(as_text=True)
    assert "Raderat" in page and "Aktivera kontot" not in page
    response = client.post(f"/admin/anvandare/{person.id}/aktiv", data={"active": "1"})
    assert "Ett raderat konto kan inte aktiveras igen." in response.get_data(as_text=True)
    db.session.refresh(person)
    assert person.active is False


def test_erasure_leaves_the_project_lists_counts_alone(app, monkeypatch):
    """Emptying an organisation's contact address is a bulk UPDATE of organisations; the
    project list's kept counts do not depend on it and are not counted afresh (at 100 000
    projects that takes seconds)."""
    admin = make_user(role="admin", email="admin@lansbiblioteket.example")
    person = make_person()  # her library's contact address is hers

    def count_everything_again(connection):
        raise AssertionError("the erasure counted every project again")

    monkeypatch.setattr(facet_counts, "rebuild", count_everything_again)
    erasure.erase_user(admin, person.user)
    db.session.commit()
    assert db.session.get(User, person.user.id).erased_at is not None
