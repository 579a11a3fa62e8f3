"""Documents: upload, versions, downloads, who reads what, the bin and the text for search."""

import hashlib
import io
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select

from portal.accounts.models import Organisation
from portal.core.audit import AuditEntry
from portal.core.dates import utcnow
from portal.demo import load_demo
from portal.documents import access, recycle_bin, services, storage, tasks
from portal.documents.models import Document, DocumentFolder, DocumentVersion
from portal.extensions import db
from tests.documents.factories import PLAN_TEXT, docx, make_document, odt, plan_pdf
from tests.factories import make_organisation, make_user
from tests.projects.factories import make_project
from tests.queries import counted_statements

pytestmark = pytest.mark.both_databases

HTML = b"<!DOCTYPE html><html><body><script>alert('x')</script></body></html>"


def stored_files(app) -> list[Path]:
    """Every file under instance/documents, temporary ones included."""
    root = Path(app.config["INSTANCE_DIR"]) / "documents"
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def upload_form(data: bytes, filename: str = "plan.pdf", **fields) -> dict:
    return {
        "title": PLAN_TEXT,
        "visibility": "everyone",
        "retention": "keep",
        "file": (io.BytesIO(data), filename),
        **fields,
    }


def test_staff_upload_a_pdf_that_a_librarian_downloads_as_an_attachment(app, client, login_as):
    login_as("staff")
    data = plan_pdf()
    response = client.post(
        "/dokument/ny",
        data=upload_form(data, "Biblioteksplan 2015–2017 (slutlig).pdf", case_number="LBV 2015/3"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    document = db.session.scalar(select(Document))
    version = document.current
    assert version.sha256 == hashlib.sha256(data).hexdigest()
    assert version.mime_type == "application/pdf"
    assert version.filename == "Biblioteksplan 2015–2017 (slutlig).pdf"
    stored = storage.path_of(version.storage_key)
    assert stored.read_bytes() == data
    assert stored_files(app) == [stored]
    assert "2015" not in stored.name

    client.post("/logga-ut")
    login_as("member")
    download = client.get(f"/dokument/{document.id}/ladda-ner")
    assert download.status_code == 200
    assert download.data == data
    assert download.mimetype == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Biblioteksplan 2015_2017 (slutlig).pdf"')
    assert f"filename*=UTF-8''{quote('Biblioteksplan 2015–2017 (slutlig).pdf', safe='')}" in (
        disposition
    )


def test_a_pdf_name_with_html_content_is_refused_beside_the_field_and_the_form_is_kept(
    app, client, login_as
):
    login_as("staff")
    response = client.post(
        "/dokument/ny",
        data=upload_form(HTML, "plan.pdf", case_number="LBV 2015/3", description="Planen"),
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Filen innehåller HTML, SVG eller annan märkkod" in page
    assert 'id="file-error"' in page
    assert f'value="{PLAN_TEXT}"' in page
    assert 'value="LBV 2015/3"' in page
    assert "Planen</textarea>" in page
    assert db.session.scalar(select(func.count(Document.id))) == 0
    assert stored_files(app) == []


def test_svg_is_refused_and_nothing_is_stored(app, client, login_as):
    login_as("staff")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = client.post(
        "/dokument/ny", data=upload_form(svg, "logga.svg"), content_type="multipart/form-data"
    )
    assert "Filen innehåller HTML, SVG" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(DocumentVersion.id))) == 0
    assert stored_files(app) == []


def test_a_60_mb_upload_gets_the_swedish_413_page_and_nothing_is_stored(app, client, login_as):
    login_as("staff")
    big = b"%PDF-1.4\n" + bytes(60 * 1024 * 1024)
    response = client.post(
        "/dokument/ny", data=upload_form(big), content_type="multipart/form-data"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "<h1>Filen eller formuläret är för stort</h1>" in page
    assert "Filen är större än 50 MB" in page
    assert db.session.scalar(select(func.count(Document.id))) == 0
    assert stored_files(app) == []


def test_a_file_just_over_the_limit_is_refused_while_read_and_leaves_no_temporary_file(
    app, client, login_as
):
    app.config["DOCUMENT_MAX_BYTES"] = 10_000
    login_as("staff")
    response = client.post(
        "/dokument/ny",
        data=upload_form(plan_pdf() + bytes(20_000)),
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert db.session.scalar(select(func.count(Document.id))) == 0
    assert stored_files(app) == []


def test_the_portals_own_request_limit_still_holds_outside_uploads(app, client, login_as):
    login_as("staff")
    response = client.post("/dokument/mappar/ny", data={"name": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert "50 MB" not in response.get_data(as_text=True)


def test_dot_dot_slashes_and_nul_in_a_file_name_are_only_a_harmless_label(app, client, login_as):
    login_as("staff")
    response = client.post(
        "/dokument/ny",
        data=upload_form(plan_pdf(), "../../../etc/passwd\x00.pdf"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    version = db.session.scalar(select(DocumentVersion))
    assert "/" not in version.filename and "\x00" not in version.filename
    assert ".." not in version.filename
    root = Path(app.config["INSTANCE_DIR"]) / "documents"
    assert stored_files(app) == [storage.path_of(version.storage_key)]
    assert storage.path_of(version.storage_key).is_relative_to(root)


def test_file_names_are_cleaned_of_folders_and_control_characters():
    assert services.clean_filename("..\\..\\boot.ini") == "boot.ini"
    assert services.clean_filename("a/b/c/Rapport\x00\x07 2016.docx") == "Rapport 2016.docx"
    assert services.clean_filename("..") == "dokument"
    assert services.clean_filename(".htaccess") == "htaccess"
    assert len(services.clean_filename("å" * 400 + ".pdf")) <= 200


def test_an_upload_without_a_file_asks_for_one(app, client, login_as):
    login_as("staff")
    response = client.post(
        "/dokument/ny",
        data={"title": "Protokoll", "visibility": "everyone", "retention": "keep"},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert "Välj en fil att ladda upp." in page
    assert 'value="Protokoll"' in page
    assert db.session.scalar(select(func.count(Document.id))) == 0


def test_a_culled_document_needs_its_number_of_years(app, client, login_as):
    login_as("staff")
    response = client.post(
        "/dokument/ny",
        data=upload_form(plan_pdf(), retention="cull"),
        content_type="multipart/form-data",
    )
    assert "Ange efter hur många år (1–100) dokumentet gallras." in response.get_data(True)
    assert stored_files(app) == []


def test_a_transaction_that_rolls_back_takes_the_stored_file_with_it(app):
    staff = make_user(role="staff")
    services.upload_document(
        staff,
        services.DocumentFields(title="Protokoll"),
        services.Upload(io.BytesIO(plan_pdf()), "protokoll.pdf"),
    )
    db.session.flush()
    assert len(stored_files(app)) == 1
    db.session.rollback()
    assert stored_files(app) == []
    assert db.session.scalar(select(func.count(Document.id))) == 0


def test_a_new_version_keeps_the_history_and_an_old_one_can_be_made_current_again(
    app, client, login_as
):
    staff = login_as("staff")
    document = make_document(staff)
    first = document.current
    corrected = plan_pdf(PLAN_TEXT, "Rättad version")
    response = client.post(
        f"/dokument/{document.id}/versioner",
        data={"file": (io.BytesIO(corrected), "plan-rattad.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = client.get(f"/dokument/{document.id}").get_data(as_text=True)
    assert "plan.pdf" in page and "plan-rattad.pdf" in page
    assert client.get(f"/dokument/{document.id}/ladda-ner").data == corrected
    assert client.get(f"/dokument/{document.id}/versioner/1/ladda-ner").data == plan_pdf()

    response = client.post(f"/dokument/{document.id}/versioner/1/aterstall")
    assert response.status_code == 302
    db.session.expire_all()
    versions = db.session.scalars(select(DocumentVersion).order_by(DocumentVersion.number)).all()
    assert [(v.number, v.is_current, v.restored_from) for v in versions] == [
        (1, False, None),
        (2, False, None),
        (3, True, 1),
    ]
    assert versions[2].storage_key == first.storage_key
    assert client.get(f"/dokument/{document.id}/ladda-ner").data == plan_pdf()
    assert "återställd från version 1" in client.get(f"/dokument/{document.id}").get_data(True)


def test_a_refused_new_version_leaves_the_current_one_alone(app, client, login_as):
    staff = login_as("staff")
    document = make_document(staff)
    response = client.post(
        f"/dokument/{document.id}/versioner",
        data={"file": (io.BytesIO(HTML), "plan.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "Filen innehåller HTML" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(DocumentVersion.id))) == 1
    assert len(stored_files(app)) == 1


def test_another_teams_document_is_not_found_nor_its_download_nor_its_versions(
    app, client, login_as
):
    kramfors = make_organisation("Kramfors bibliotek")
    staff = make_user(role="staff")
    project = make_project("Bokstart", participants=[kramfors])
    document = make_document(staff, "Ansökan Bokstart", project_id=project.id, visibility="project")
    make_user(organisation=kramfors, email="karin@kramfors.example")
    login_as("member", organisation=make_organisation("Ånge bibliotek"))
    for path in (
        f"/dokument/{document.id}",
        f"/dokument/{document.id}/ladda-ner",
        f"/dokument/{document.id}/versioner/1/ladda-ner",
        f"/dokument/{document.id}/andra",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/dokument/{document.id}/versioner/1/aterstall").status_code == 404
    assert "Ansökan Bokstart" not in client.get("/dokument").get_data(as_text=True)
    assert "Ansökan Bokstart" not in client.get(f"/projekt/{project.slug}/dokument").get_data(True)


def test_the_projects_participants_read_its_documents_on_the_project_page(app, client, login_as):
    kramfors = make_organisation("Kramfors bibliotek")
    staff = make_user(role="staff")
    project = make_project("Bokstart", participants=[kramfors])
    make_document(staff, "Ansökan Bokstart", project_id=project.id, visibility="project")
    login_as("member", organisation=kramfors)
    page = client.get(f"/projekt/{project.slug}/dokument").get_data(as_text=True)
    assert "Ansökan Bokstart" in page
    assert 'aria-current="page">Dokument</a>' in page


def test_documents_for_some_organisations_are_read_only_there(app, client, login_as):
    timra, ange = make_organisation("Timrå bibliotek"), make_organisation("Ånge bibliotek")
    staff = make_user(role="staff")
    document = make_document(
        staff, "Avtal Timrå", visibility="organisations", organisation_ids=[timra.id]
    )
    visible = select(Document.id).where(access.visible_to(make_user(organisation=timra)))
    hidden = select(Document.id).where(access.visible_to(make_user(organisation=ange)))
    assert db.session.scalars(visible).all() == [document.id]
    assert db.session.scalars(hidden).all() == []


def test_a_member_uploads_to_a_project_they_are_on_but_not_to_another(app, client, login_as):
    kramfors = make_organisation("Kramfors bibliotek")
    own = make_project("Bokstart", participants=[kramfors])
    other = make_project("Läsambassadörer")
    login_as("member", organisation=kramfors)
    page = client.get("/dokument/ny").get_data(as_text=True)
    assert "Bokstart" in page and "Läsambassadörer" not in page
    refused = client.post(
        "/dokument/ny",
        data=upload_form(plan_pdf(), project_id=other.id, visibility="project"),
        content_type="multipart/form-data",
    )
    assert "Du kan lägga dokument i de projekt du är med i" in refused.get_data(as_text=True)
    assert stored_files(app) == []
    accepted = client.post(
        "/dokument/ny",
        data=upload_form(plan_pdf(), project_id=own.id, visibility="project"),
        content_type="multipart/form-data",
    )
    assert accepted.status_code == 302
    assert db.session.scalar(select(Document.project_id)) == own.id


def test_staff_nest_order_rename_and_delete_empty_folders(app, client, login_as):
    login_as("staff")
    client.post("/dokument/mappar/ny", data={"name": "Styrdokument"})
    client.post("/dokument/mappar/ny", data={"name": "Protokoll"})
    styr = db.session.scalar(select(DocumentFolder).where(DocumentFolder.name == "Styrdokument"))
    client.post("/dokument/mappar/ny", data={"name": "Planer", "parent_id": styr.id})
    planer = db.session.scalar(select(DocumentFolder).where(DocumentFolder.name == "Planer"))
    assert planer.parent_id == styr.id

    page = client.get("/dokument").get_data(as_text=True)
    assert page.index("Styrdokument") < page.index("Protokoll")
    protokoll = db.session.scalar(select(DocumentFolder).where(DocumentFolder.name == "Protokoll"))
    client.post(f"/dokument/mappar/{protokoll.id}/flytta", data={"step": "-1"})
    page = client.get("/dokument").get_data(as_text=True)
    assert page.index("Protokoll") < page.index("Styrdokument")

    same = client.post("/dokument/mappar/ny", data={"name": "protokoll"})
    assert "Det finns redan en mapp med det namnet här." in same.get_data(as_text=True)
    client.post(f"/dokument/mappar/{planer.id}/andra", data={"name": "Biblioteksplaner"})
    assert "Biblioteksplaner" in client.get(f"/dokument/mappar/{styr.id}").get_data(True)

    full = client.post(f"/dokument/mappar/{styr.id}/ta-bort")
    assert full.status_code == 400
    assert "Mappen är inte tom." in full.get_data(as_text=True)
    assert client.post(f"/dokument/mappar/{planer.id}/ta-bort").status_code == 302
    remaining = db.session.scalars(select(DocumentFolder.name).order_by(DocumentFolder.name))
    assert remaining.all() == ["Protokoll", "Styrdokument"]


def test_a_deleted_document_waits_in_the_bin_and_staff_restore_it(app, client, login_as):
    staff = login_as("staff")
    document = make_document(staff)
    assert client.post(f"/dokument/{document.id}/ta-bort").status_code == 302
    assert client.get(f"/dokument/{document.id}").status_code == 404
    assert PLAN_TEXT in client.get("/dokument/papperskorg").get_data(as_text=True)
    assert client.post(f"/dokument/papperskorg/{document.id}/aterstall").status_code == 302
    assert client.get(f"/dokument/{document.id}").status_code == 200
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity == "document").order_by(AuditEntry.id)
    ).all()
    assert actions == ["create", "delete", "restore"]


def test_after_30_days_in_the_bin_a_document_cannot_be_restored(app, client, login_as):
    staff = login_as("staff")
    document = make_document(staff)
    recycle_bin.delete_document(staff, document, now=utcnow() - timedelta(days=31))
    db.session.commit()
    response = client.post(f"/dokument/papperskorg/{document.id}/aterstall")
    assert response.status_code == 400
    assert "i mer än 30 dagar och kan inte återställas" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Document, document.id).deleted_at is not None


def test_beat_purges_rows_and_files_older_than_30_days_from_the_bin(app):
    staff = make_user(role="staff")
    old, recent, _ = (
        make_document(staff, "Gammal"),
        make_document(staff, "Ny"),
        make_document(staff, "Kvar"),
    )
    recycle_bin.delete_document(staff, old, now=utcnow() - timedelta(days=31))
    recycle_bin.delete_document(staff, recent, now=utcnow() - timedelta(days=29))
    db.session.commit()
    old_file = storage.path_of(old.current.storage_key)
    assert tasks.purge_bin() == 1
    assert not old_file.exists()
    assert set(db.session.scalars(select(Document.title))) == {"Ny", "Kvar"}
    assert len(stored_files(app)) == 2


def test_the_extraction_task_finds_the_words_of_a_pdf_docx_and_odt(app):
    staff = make_user(role="staff")
    pdf = make_document(staff)
    word = make_document(staff, "Protokoll", docx("Läsfrämjande", "barn i Ånge"), "p.docx")
    writer = make_document(staff, "Minnen", odt("Bokstart", "Kramfors"), "m.odt")
    for document in (pdf, word, writer):
        tasks.extract_text(document.current.id)
    db.session.expire_all()
    assert PLAN_TEXT in db.session.get(DocumentVersion, pdf.current.id).extracted_text
    assert db.session.get(DocumentVersion, word.current.id).extracted_text == (
        "Läsfrämjande\nbarn i Ånge"
    )
    assert db.session.get(DocumentVersion, writer.current.id).extracted_text == (
        "Bokstart\nKramfors"
    )


def test_an_unreadable_pdf_leaves_empty_text_and_the_upload_stands(app):
    staff = make_user(role="staff")
    document = make_document(staff, data=b"%PDF-1.4\nthis is no pdf at all\n%%EOF")
    tasks.extract_text(document.current.id)
    db.session.expire_all()
    version = db.session.get(DocumentVersion, document.current.id)
    assert version.extracted_text == ""
    assert version.extracted_at is not None
    assert storage.path_of(version.storage_key).exists()


def test_extraction_is_sent_only_after_the_upload_commits(app, monkeypatch):
    sent = []
    monkeypatch.setattr(tasks, "send_extraction_task", sent.append)
    staff = make_user(role="staff")
    services.upload_document(
        staff,
        services.DocumentFields(title="Protokoll"),
        services.Upload(io.BytesIO(plan_pdf()), "p.pdf"),
    )
    db.session.flush()
    assert sent == []
    db.session.commit()
    assert sent == [db.session.scalar(select(DocumentVersion.id))]


def test_the_document_list_is_built_from_a_fixed_number_of_statements(app, client, login_as):
    staff = login_as("staff")
    make_document(staff, "Ett")
    with counted_statements() as few:
        client.get("/dokument")
    for number in range(5):
        make_document(staff, f"Dokument {number}")
    with counted_statements() as many:
        assert client.get("/dokument").status_code == 200
    assert len(many) == len(few)


def test_the_bin_is_for_staff_only_and_strangers_are_sent_to_log_in(app, client, login_as):
    assert client.get("/dokument/papperskorg").headers["Location"].startswith("/logga-in")
    login_as("member")
    assert client.get("/dokument/papperskorg").status_code == 403


def test_a_member_cannot_change_a_document_that_is_not_theirs(app, client, login_as):
    document = make_document(make_user(role="staff"))
    login_as("member")
    assert client.get(f"/dokument/{document.id}").status_code == 200
    assert client.post(f"/dokument/{document.id}/ta-bort").status_code == 403
    assert client.get(f"/dokument/{document.id}/andra").status_code == 403


@freeze_time("2026-03-01 12:00:00")
def test_metadata_changes_are_audited_with_old_and_new_values(app, client, login_as):
    staff = login_as("staff")
    document = make_document(staff, case_number="LBV 2015/3")
    response = client.post(
        f"/dokument/{document.id}/andra",
        data={
            "title": PLAN_TEXT,
            "visibility": "everyone",
            "retention": "cull",
            "retention_years": "10",
            "case_number": "LBV 2015/4",
        },
    )
    assert response.status_code == 302
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "update"))
    assert entry.changes["case_number"] == ["LBV 2015/3", "LBV 2015/4"]
    assert entry.changes["retention_years"] == [None, 10]
    assert "Gallras efter 10 år" in client.get(f"/dokument/{document.id}").get_data(True)


def test_the_demo_shares_meeting_notes_and_keeps_bokstarts_application_in_its_project(app):
    load_demo()
    kramfors = db.session.scalar(select(Organisation).where(Organisation.name.like("Kramfors%")))
    ange = db.session.scalar(select(Organisation).where(Organisation.name.like("Ånge%")))

    def titles(user):
        return set(db.session.scalars(select(Document.title).where(access.visible_to(user))))

    notes, application, spreading, manual = (
        "Minnesanteckningar nätverksträff i Kramfors",
        "Ansökan Bokstart Västernorrland",
        "Projektplan Bokstart i hela länet",
        "Handledarmanual digital hjälp",
    )
    assert titles(make_user(organisation=kramfors)) == {notes, application, spreading, manual}
    assert titles(make_user(organisation=ange)) == {notes, spreading}
    for version in db.session.scalars(select(DocumentVersion)):
        assert storage.path_of(version.storage_key).read_bytes().startswith(b"%PDF-")
        assert "barn" in version.extracted_text
