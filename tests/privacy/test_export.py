""" "Mina uppgifter": the zip holds all of a person's data and nobody else's."""

import io
import json
import zipfile
from datetime import timedelta

from portal.core.dates import utcnow
from portal.documents import storage
from portal.extensions import db
from tests.factories import make_user
from tests.notifications.factories import queue_reset_email
from tests.privacy.factories import EMAIL, NAME, OTHER_EMAIL, PHONE, make_other_person, make_person

MY_DATA = "/profil/mina-uppgifter"
DOWNLOAD = "/profil/mina-uppgifter/hamta"


def download(client):
    response = client.get(DOWNLOAD)
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.data))


def data_of(archive) -> dict:
    return json.loads(archive.read("uppgifter.json"))


def test_the_profile_page_links_to_mina_uppgifter(client, login_as):
    login_as("member")
    page = client.get("/profil").get_data(as_text=True)
    assert MY_DATA in page


def test_mina_uppgifter_says_what_the_file_holds_and_links_to_it(client, login_as):
    login_as("member")
    page = client.get(MY_DATA).get_data(as_text=True)
    assert "Mina uppgifter" in page
    assert DOWNLOAD in page
    assert "de senaste 90 dagarna" in page


def test_the_zip_holds_the_profile_organisation_and_role(client, login_as):
    person = make_person()
    login_as(user=person.user)
    data = data_of(download(client))
    assert data["profile"]["email"] == EMAIL
    assert data["profile"]["name"] == NAME
    assert data["profile"]["phone"] == PHONE
    assert data["profile"]["title"] == "Bibliotekarie"
    assert data["organisation"]["name"] == "Härnösands bibliotek"
    assert data["role"] == {"code": "staff", "label": "Länsbibliotekets personal"}
    assert data["projects"] == [
        {
            "id": person.project.id,
            "title": "Bokstart Västernorrland",
            "lead": True,
            "team": False,
            "follows": True,
        }
    ]


def test_the_zip_holds_the_notification_choices_and_waiting_digest_entries(client, login_as):
    person = make_person()
    login_as(user=person.user)
    data = data_of(download(client))
    assert data["notification_choices"]["news"] == "off"
    assert data["notification_choices"]["deadlines"] == "immediately"
    assert [entry["title"] for entry in data["waiting_digest_entries"]] == ["Nytt i Bokstart"]


def test_the_zip_holds_their_invitation(client, login_as):
    person = make_person()
    login_as(user=person.user)
    (invitation,) = data_of(download(client))["invitations"]
    assert invitation["role"] == "staff" and invitation["accepted_at"]


def test_the_zip_lists_sessions_and_feeds_without_their_secrets(client, login_as):
    person = make_person()
    login_as(user=person.user)
    archive = download(client)
    data = data_of(archive)
    assert {"user_agent": "Firefox på Linux", "ip_address": "192.0.2.17"}.items() <= data[
        "sessions"
    ][0].items()
    assert len(data["sessions"]) == 2  # the one made above and this download's login
    assert [feed["kind"] for feed in data["feed_tokens"]] == ["calendar"]
    raw = archive.read("uppgifter.json").decode()
    assert "sid_hash" not in raw and "token_hash" not in raw
    assert "a" * 64 not in raw


def test_the_zip_holds_what_they_wrote(client, login_as):
    person = make_person()
    login_as(user=person.user)
    data = data_of(download(client))
    assert [item["title"] for item in data["news_items"]] == ["Bokstart når hela länet"]
    assert [comment["body"] for comment in data["news_comments"]] == ["Vilken fin start!"]
    # bokstart_project's lead wrote one update already
    assert "Första boklådorna är utdelade." in [
        update["text"] for update in data["progress_updates"]
    ]
    assert [version["report_id"] for version in data["report_versions"]] == [person.report.id]
    assert data["report_versions"][0]["sections"]  # the text and data of each section
    assert [document["title"] for document in data["documents"]] == ["Verksamhetsplan Bokstart"]
    assert [event["title"] for event in data["calendar_events"]] == ["Bokstartsträff i Härnösand"]


def test_the_zip_holds_the_files_they_uploaded(client, login_as):
    person = make_person()
    login_as(user=person.user)
    archive = download(client)
    (version,) = data_of(archive)["document_versions"]
    stored = storage.path_of(person.document.current.storage_key).read_bytes()
    assert version["filename"] == "plan.pdf"
    assert archive.read(version["file_in_archive"]) == stored
    assert version["file_in_archive"].startswith("filer/")


def test_the_zip_holds_audit_entries_about_them_and_by_them(client, login_as):
    admin = make_user(role="admin", email="admin@lansbiblioteket.example")
    person = make_person(admin=admin)
    login_as(user=person.user)
    entries = data_of(download(client))["audit_entries"]
    about = [entry for entry in entries if entry["entity"] == "user"]
    by_them = [entry for entry in entries if entry["by_you"]]
    assert [entry["action"] for entry in about] == ["end_sessions"]
    assert about[0]["by_you"] is False
    assert any(entry["entity"] == "document" for entry in by_them)


def test_the_zip_holds_the_emails_sent_to_them_within_the_retention(client, login_as):
    person = make_person()
    old = queue_reset_email(EMAIL, name=NAME, subject="Ett gammalt mejl")
    old.created_at = utcnow() - timedelta(days=91)
    db.session.commit()
    login_as(user=person.user)
    emails = data_of(download(client))["emails_to_you"]
    assert [email["subject"] for email in emails] == ["Återställ ditt lösenord"]
    assert NAME in emails[0]["text_body"]


def test_the_zip_holds_nothing_of_another_person(client, login_as):
    person = make_person()
    make_other_person()
    login_as(user=person.user)
    archive = download(client)
    raw = archive.read("uppgifter.json").decode()
    assert "Nils nyhet" not in raw
    assert "Nils kommenterar" not in raw
    assert "Nils protokoll" not in raw
    assert OTHER_EMAIL not in raw
    assert not any("nils-protokoll" in name for name in archive.namelist())


def test_the_other_person_gets_only_their_own(client, login_as):
    make_person()
    other = make_other_person()
    login_as(user=other)
    archive = download(client)
    data = data_of(archive)
    assert data["profile"]["email"] == OTHER_EMAIL
    assert [item["title"] for item in data["news_items"]] == ["Nils nyhet om Timrå"]
    raw = archive.read("uppgifter.json").decode()
    assert "Bokstart når hela länet" not in raw
    assert "Vilken fin start" not in raw
    assert EMAIL not in raw
    assert [name for name in archive.namelist() if name.startswith("filer/")] == [
        f"filer/{data['document_versions'][0]['document_id']}-v1-nils-protokoll.pdf"
    ]


def test_the_zip_lists_passkeys_by_name_without_their_keys(client, login_as):
    person = make_person()  # with one passkey, "Åsas jobbdator"
    login_as(user=person.user)
    archive = download(client)
    assert [key["name"] for key in data_of(archive)["passkeys"]] == ["Åsas jobbdator"]
    raw = archive.read("uppgifter.json").decode()
    assert "asas-passkey" not in raw and "asas-handle" not in raw


def test_the_zip_says_the_second_factor_is_on_without_its_secrets(client, login_as):
    person = make_person()  # with an app turned on and one recovery code
    login_as(user=person.user)
    archive = download(client)
    second_factor = data_of(archive)["second_factor"]
    assert len(second_factor["app"]) == 1 and second_factor["app"][0]["confirmed_at"]
    assert len(second_factor["recovery_codes"]) == 1
    raw = archive.read("uppgifter.json").decode()
    assert "ASASHEMLIGANYCKEL" not in raw and "asas-kodhash" not in raw


def test_the_zip_lists_the_linked_municipal_accounts(client, login_as):
    person = make_person()  # linked to one at https://login.timra.example/v2.0
    login_as(user=person.user)
    archive = download(client)
    [identity] = data_of(archive)["external_identities"]
    assert (identity["issuer"], identity["subject"]) == (
        "https://login.timra.example/v2.0",
        "asas-sub",
    )
