"""Search finds documents by title, description and the extracted text of their current
version, as soon as the extraction task has run, and only those the reader may read."""

import io

import pytest
from flask import g

from portal.documents import recycle_bin, tasks
from portal.documents import services as documents
from portal.extensions import db
from portal.search import services
from tests.documents.factories import make_document, plan_pdf
from tests.factories import make_organisation, make_user
from tests.projects.factories import make_project
from tests.search.test_search import page_text, result_titles, search_statements

pytestmark = pytest.mark.both_databases


def extracted(document) -> None:
    """The extraction task as the worker runs it, after the upload committed. The worker
    commits in an application context of its own; the reader's next request, here the rest of
    the test's context, reads the data version afresh, as a new request would."""
    tasks.extract_text(document.current.id)
    g.pop("read_models_version", None)


def team_document(project, title: str, text: str):
    """A PDF for the project's team and participants only, its text extracted."""
    document = make_document(
        make_user(role="staff"),
        title,
        plan_pdf(text),
        project_id=project.id,
        visibility="project",
    )
    extracted(document)
    return document


def new_version(staff, document, text: str) -> None:
    documents.upload_version(staff, document, documents.Upload(io.BytesIO(plan_pdf(text)), "p.pdf"))
    db.session.commit()


def found_titles(reader, query: str) -> list[str]:
    return [result.title.striptags() for result in services.search(reader, query).results]


def test_a_librarian_finds_a_pdf_by_a_stemmed_word_of_its_text(client, login_as):
    staff = make_user(role="staff")
    document = make_document(
        staff, "Verksamhetsplan 2016", plan_pdf("Bokpaket till barnens familjer i Ånge.")
    )
    extracted(document)
    login_as("member", organisation=make_organisation("Ånge bibliotek"))
    page = page_text(client, "barn")
    assert result_titles(page) == ["Verksamhetsplan 2016"]
    assert f'href="/dokument/{document.id}"' in page
    assert '<p class="meta">Dokument</p>' in page
    assert "<mark>barnens</mark>" in page


def test_a_document_is_found_only_once_its_text_is_extracted(in_request):
    reader = make_user()
    document = make_document(make_user(role="staff"), "Protokoll", plan_pdf("Sagostund."))
    assert found_titles(reader, "sagostund") == []
    extracted(document)
    assert found_titles(reader, "sagostund") == ["Protokoll"]


def test_title_and_description_are_found_before_the_text_is_extracted(in_request):
    reader = make_user()
    make_document(
        make_user(role="staff"), "Regional biblioteksplan", description="Mål för läsfrämjandet."
    )
    assert found_titles(reader, "biblioteksplanen") == ["Regional biblioteksplan"]
    assert found_titles(reader, "läsfrämjande") == ["Regional biblioteksplan"]


def test_a_document_for_another_projects_team_never_appears_not_even_its_snippet(client, login_as):
    teammate = make_user(email="team@timra.example")
    project = make_project("Läsombud i Timrå", team=[teammate])
    secret = team_document(project, "Ansökan läsombud", "Hemlig budget för läsombuden.")
    login_as("member", organisation=make_organisation("Ånge bibliotek"))
    for query in ("läsombud", "hemlig budget", "ansökan"):
        page = page_text(client, query)
        assert "Ansökan läsombud" not in page
        assert "Hemlig" not in page
        assert f"/dokument/{secret.id}" not in page
    assert result_titles(page_text(client, "läsombud")) == ["Läsombud i Timrå"]


def test_a_project_document_is_found_by_its_team(in_request):
    teammate = make_user()
    project = make_project("Läsombud", team=[teammate])
    team_document(project, "Budget", "Budget för läsombuden.")
    assert found_titles(teammate, "läsombud") == ["Läsombud", "Budget"]
    assert found_titles(make_user(), "läsombud") == ["Läsombud"]


def test_a_document_for_another_organisation_never_appears(in_request):
    ange, timra = make_organisation("Ånge bibliotek"), make_organisation("Timrå bibliotek")
    make_document(
        make_user(role="staff"),
        "Bokcirkel i Timrå",
        visibility="organisations",
        organisation_ids=[timra.id],
    )
    assert found_titles(make_user(organisation=ange), "bokcirkel") == []
    assert found_titles(make_user(organisation=timra), "bokcirkel") == ["Bokcirkel i Timrå"]


def test_a_binned_document_disappears_and_reappears_on_restore(in_request):
    staff, reader = make_user(role="staff"), make_user()
    document = make_document(staff, "Protokoll", plan_pdf("Flyttkartonger till Ånge."))
    extracted(document)
    assert found_titles(reader, "flyttkartong") == ["Protokoll"]
    recycle_bin.delete_document(staff, document)
    db.session.commit()
    assert found_titles(reader, "flyttkartong") == []
    assert found_titles(staff, "flyttkartong") == []
    recycle_bin.restore_from_bin(staff, document)
    db.session.commit()
    assert found_titles(reader, "flyttkartong") == ["Protokoll"]


def test_a_new_versions_text_replaces_the_old(in_request):
    staff, reader = make_user(role="staff"), make_user()
    document = make_document(staff, "Protokoll", plan_pdf("Mötet hölls i Timrå."))
    extracted(document)
    new_version(staff, document, "Mötet hölls i Sundsvall.")
    assert found_titles(reader, "timrå") == []
    extracted(document)
    assert found_titles(reader, "sundsvall") == ["Protokoll"]
    assert found_titles(reader, "timrå") == []


def test_restoring_an_old_version_brings_back_its_text(in_request):
    staff, reader = make_user(role="staff"), make_user()
    document = make_document(staff, "Protokoll", plan_pdf("Mötet hölls i Timrå."))
    extracted(document)
    new_version(staff, document, "Mötet hölls i Sundsvall.")
    extracted(document)
    documents.restore_version(staff, document, 1)
    db.session.commit()
    assert found_titles(reader, "timrå") == ["Protokoll"]
    assert found_titles(reader, "sundsvall") == []


def test_an_old_versions_late_extraction_leaves_the_current_text(in_request):
    staff, reader = make_user(role="staff"), make_user()
    document = make_document(staff, "Protokoll", plan_pdf("Mötet hölls i Timrå."))
    first = document.current.id
    new_version(staff, document, "Mötet hölls i Sundsvall.")
    extracted(document)
    tasks.extract_text(first)
    assert found_titles(reader, "sundsvall") == ["Protokoll"]
    assert found_titles(reader, "timrå") == []


def test_the_results_page_runs_the_same_number_of_statements_as_documents_grow(in_request):
    staff = make_user(role="staff")
    organisation = make_organisation()
    reader = make_user(organisation=organisation)
    project = make_project("Bokprat", team=[reader])
    extracted(make_document(staff, "Bokprat", plan_pdf("Bokprat i Ånge.")))
    few = search_statements(reader, "bokprat")
    for number in range(10):
        extracted(make_document(staff, f"Bokprat {number}", plan_pdf("Bokprat.")))
        team_document(project, f"Bokprat för teamet {number}", "Bokprat.")
        make_document(
            staff,
            f"Bokprat för biblioteket {number}",
            visibility="organisations",
            organisation_ids=[organisation.id],
        )
    assert services.search(reader, "bokprat").total == 2 + 10 * 3
    assert search_statements(reader, "bokprat") == few
    assert few <= 2
