"""The admins' log of every change (/admin/logg): each filter narrows the list, and the CSV file
holds the same filtered entries in words and as structured data."""

import csv
import io
from datetime import UTC, datetime

from portal.core import audit
from portal.documents.models import DocumentFolder
from portal.extensions import db
from tests.factories import make_user
from tests.projects.factories import make_project
from tests.queries import counted_statements


def readable(page: str) -> str:
    return page.replace("\xa0", " ").replace("\u202f", " ")


def sample_log():
    """Four changes that differ in one respect each from the first."""
    anna = make_user("staff", name="Anna Andersson")
    bertil = make_user("staff", name="Bertil Berg")
    bokstart = make_project("Bokstart Västernorrland")
    sommar = make_project("Sommarboken")

    def entry(actor, project, action, entity, changes, at):
        row = audit.record(actor, project.id, action, entity, project.id, changes)
        row.at = at
        return row

    entry(anna, bokstart, "update", "project", {"title": ["A", "Titel ett"]}, _at(3, 1))
    entry(bertil, bokstart, "update", "project", {"title": ["B", "Titel två"]}, _at(3, 2))
    entry(anna, sommar, "update", "project", {"title": ["C", "Titel tre"]}, _at(3, 3))
    entry(anna, bokstart, "create", "milestone", {"title": [None, "Lansering"]}, _at(4, 10))
    db.session.commit()
    return anna, bertil


def _at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 9, 0, tzinfo=UTC)


def log(client, **filters) -> str:
    response = client.get("/admin/logg", query_string=filters)
    assert response.status_code == 200
    return readable(response.get_data(as_text=True))


SENTENCES = ("Titel ett", "Titel två", "Titel tre", "Milstolpen Lansering lades till.")


def shown(page: str) -> set[str]:
    return {sentence for sentence in SENTENCES if sentence in page}


def test_the_log_shows_every_change_in_words(client, login_as):
    sample_log()
    login_as("admin")

    page = log(client)

    assert shown(page) == set(SENTENCES)
    assert "4 ändringar" in page
    assert "Titel för projektet A ändrades från ”A” till ”Titel ett”." in page


def test_each_filter_narrows_the_log(client, login_as):
    anna, bertil = sample_log()
    login_as("admin")

    assert shown(log(client, person=bertil.id)) == {"Titel två"}
    assert shown(log(client, entity="milestone")) == {"Milstolpen Lansering lades till."}
    assert shown(log(client, action="create")) == {"Milstolpen Lansering lades till."}
    assert shown(log(client, project="Sommar")) == {"Titel tre"}
    assert shown(log(client, since="2026-03-02", until="2026-03-03")) == {"Titel två", "Titel tre"}
    assert shown(log(client, person=anna.id, project="Bokstart", entity="project")) == {"Titel ett"}


def test_a_bad_date_is_explained_beside_its_field_and_keeps_the_other_filters(client, login_as):
    sample_log()
    login_as("admin")

    page = log(client, since="den tredje mars", project="Sommar")

    assert 'id="since-error"' in page and "Skriv ett datum som 2016-03-15." in page
    assert 'value="Sommar"' in page
    assert shown(page) == {"Titel tre"}


def test_a_date_no_calendar_of_ours_holds_is_explained_not_a_server_error(client, login_as):
    sample_log()
    login_as("admin")

    page = log(client, since="0001-01-01", until="9999-12-31")

    assert 'id="since-error"' in page and 'id="until-error"' in page
    assert page.count("Ange ett datum mellan år 1900 och 2200.") == 2
    assert shown(page) == set(SENTENCES), "a refused date filters nothing"


def test_the_csv_file_holds_the_filtered_changes_in_words_and_as_data(client, login_as):
    anna, _ = sample_log()
    login_as("admin")

    response = client.get(
        "/admin/logg.csv", query_string={"person": anna.id, "project": "Bokstart"}
    )

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["Tid (svensk tid)", "Person", "Projekt", "Slag", "Beskrivning"]
    assert len(rows) == 3
    newest, oldest = rows[1], rows[2]
    assert newest[0] == "2026-04-10 11:00"
    assert newest[1:3] == ["Anna Andersson", "Bokstart Västernorrland"]
    assert newest[4] == "Milstolpen Lansering lades till. Titel: ”Lansering”."
    assert newest[5:8] == ["milestone", newest[6], "create"]
    assert newest[8] == '{"title": [null, "Lansering"]}'
    assert oldest[0] == "2026-03-01 10:00"
    assert "Titel ett" in oldest[4]


def test_the_admin_navigation_links_to_the_log(client, login_as):
    login_as("admin")

    assert 'href="/admin/logg"' in client.get("/admin/anvandare").get_data(as_text=True)


def test_a_date_filter_means_days_in_swedish_time(client, login_as):
    """23:30 UTC on 1 March is half past midnight on 2 March in Stockholm."""
    project = make_project("Bokstart Västernorrland")
    admin = login_as("admin")
    row = audit.record(admin, project.id, "update", "project", project.id, {"title": ["A", "B"]})
    row.at = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    db.session.commit()

    assert "2026-03-02 00:30" in log(client, since="2026-03-02", until="2026-03-02")
    assert "Inga ändringar matchar filtret." in log(client, until="2026-03-01")


def test_documents_and_folders_are_named_in_the_log(client, login_as):
    admin = login_as("admin")
    folder = DocumentFolder(name="Protokoll")
    db.session.add(folder)
    db.session.flush()
    audit.record(
        admin,
        None,
        "update",
        "document",
        999,
        {"folder_id": [None, folder.id], "title": ["Avtal", "Avtal 2016"]},
    )
    db.session.commit()

    page = log(client)

    assert "Mapp för dokumentet Avtal ändrades från – till Protokoll." in page
    assert "folder_id" not in page


def test_the_log_runs_the_same_statements_for_few_and_many_entries(client, login_as):
    login_as("admin")
    project = make_project()

    def add_entries(count: int) -> None:
        for number in range(count):
            person = make_user("staff", name=f"Person {number}")
            other = make_project(f"Projekt {number}")
            audit.record(
                person, other.id, "update", "project", other.id, {"lead_id": [None, person.id]}
            )
            audit.record(
                person, project.id, "create", "milestone", number + 1, {"title": [None, "M"]}
            )
        db.session.commit()

    def statements() -> int:
        with counted_statements() as sent:
            log(client)
        return len(sent)

    add_entries(2)
    few = statements()
    add_entries(20)

    assert statements() == few


def test_a_long_text_is_cut_in_the_sentence_and_kept_whole_in_the_csv(client, login_as):
    project = make_project("Bokstart Västernorrland")
    admin = login_as("admin")
    description = "Läsande familjer i hela länet. " * 40
    audit.record(
        admin, project.id, "update", "project", project.id, {"description": ["", description]}
    )
    db.session.commit()

    page = log(client)
    exported = client.get("/admin/logg.csv").get_data().decode("utf-8-sig")

    assert "Beskrivning för projektet Bokstart Västernorrland ändrades från – till ”Läsande" in page
    assert "…”." in page and description.strip() not in page
    assert description.strip() in exported
