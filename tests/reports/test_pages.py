"""The report pages in the browser's place: archive, new, editor, preview, versions, buttons."""

from sqlalchemy import delete, func, select

from portal.extensions import db
from portal.reports import services
from portal.reports.builtins import KULTURRADET_NAME
from portal.reports.document import render_document
from portal.reports.models import Report, ReportTemplate
from tests.factories import make_user
from tests.queries import counted_statements
from tests.reports.factories import bokstart_project, make_report
from tests.reports.test_workflow import approved_report, mark_sent


def url(report, tail=""):
    return f"/projekt/{report.project.slug}/rapporter/{report.id}{tail}"


def test_staff_creates_a_kulturradet_report_for_the_grant(client, login_as):
    login_as("staff")
    project = bokstart_project()
    grant = project.grants[0]
    page = client.get(f"/projekt/{project.slug}/rapporter/ny?grant={grant.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'<option selected value="{grant.id}">' in html
    response = client.post(
        f"/projekt/{project.slug}/rapporter/ny",
        data={
            "grant_id": grant.id,
            "kind": "progress_report",
            "template_id": _kulturradet_id(),
            "period_starts_on": "2016-01-01",
            "period_ends_on": "2016-06-30",
        },
    )
    assert response.status_code == 302
    report = db.session.scalar(select(Report))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Första hembesöken i Kramfors." in page
    assert '<label for="sections-0">Bidragsmottagare</label>' in page
    archive = client.get(f"/projekt/{project.slug}/rapporter").get_data(as_text=True)
    assert "2016-01-01–2016-06-30" in archive and "Utkast" in archive
    assert report.period_ends_on.isoformat() == "2016-06-30"


def test_the_new_report_page_writes_nothing_even_without_templates(client, login_as):
    """It used to make the built-in templates on a visit; migration 0018 does that now."""
    login_as("staff")
    project = bokstart_project()
    db.session.execute(delete(ReportTemplate))
    db.session.commit()
    with counted_statements() as statements:
        page = client.get(f"/projekt/{project.slug}/rapporter/ny?grant={project.grants[0].id}")
    assert page.status_code == 200
    writes = [
        statement
        for statement in statements
        if statement.lstrip().split(None, 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}
    ]
    assert writes == []
    assert db.session.scalar(select(func.count()).select_from(ReportTemplate)) == 0


def _kulturradet_id():
    return db.session.scalar(
        select(ReportTemplate.id).where(ReportTemplate.name == KULTURRADET_NAME)
    )


def test_period_outside_the_grant_shows_the_message_beside_the_field(client, login_as):
    login_as("staff")
    project = bokstart_project()
    response = client.post(
        f"/projekt/{project.slug}/rapporter/ny",
        data={
            "grant_id": project.grants[0].id,
            "kind": "progress_report",
            "template_id": _kulturradet_id(),
            "period_starts_on": "2017-01-01",
            "period_ends_on": "2017-06-30",
        },
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="period_ends_on-error"' in html
    assert "Perioden slutar efter bidragets period" in html
    assert 'value="2017-06-30"' in html
    assert db.session.scalar(select(Report)) is None


def test_editing_a_section_saves_a_new_version(client, login_as):
    staff = login_as("staff")
    report = make_report(actor=staff)
    texts = [s["text"] for s in services.current_version(report).sections]
    form = {f"sections-{i}": text for i, text in enumerate(texts)}
    form["sections-7"] = "Vi lade till Timrå under våren."
    form["version"] = "1"
    response = client.post(url(report, "/spara"), data=form)
    assert response.status_code == 302
    page = client.get(url(report)).get_data(as_text=True)
    assert "Vi lade till Timrå under våren." in page
    assert "Version 2" in page
    diff = client.get(url(report, "/versioner?a=1&b=2")).get_data(as_text=True)
    assert "<ins>" in diff and "Vi lade till Timrå under våren." in diff


def test_editing_a_sent_report_by_url_is_refused(client, login_as):
    login_as("staff")
    report = approved_report()
    mark_sent(report)
    form = {f"sections-{i}": "Ändrat i efterhand" for i in range(9)}
    response = client.post(url(report, "/spara"), data=form)
    assert response.status_code == 409
    assert "Rapporten är skickad och kan inte längre ändras." in response.get_data(as_text=True)
    db.session.expire_all()
    assert len(db.session.get(Report, report.id).versions) == 1
    refresh = client.post(url(report, "/uppdatera-underlag"))
    assert refresh.status_code == 409


def test_approving_your_own_report_by_url_is_refused(client, login_as):
    staff = login_as("staff")
    report = make_report(actor=staff)
    services.request_review(report, staff)
    db.session.commit()
    response = client.post(url(report, "/godkann"))
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    # The report page itself, not an error page, with the refusal saying who may approve.
    assert '<h2 id="tab-heading">Lägesrapport 2016-01-01–2016-06-30</h2>' in page
    assert '<dd id="report-state">Granskas</dd>' in page
    assert (
        '<div class="form-errors" role="alert"><p>Fyra ögon: du har skrivit rapporten eller '
        "skickat den till granskning och kan inte godkänna den själv. Någon annan av "
        "länsbibliotekets personal eller administratörer godkänner den.</p></div>"
    ) in page
    db.session.expire_all()
    assert db.session.get(Report, report.id).state == "in_review"


def test_the_author_is_told_who_approves_instead_of_a_button(client, login_as):
    staff = login_as("staff")
    reviewer = make_user(role="staff", name="Bo Granskare")
    report = make_report(actor=staff)
    services.request_review(report, staff, reviewer)
    db.session.commit()
    page = client.get(url(report)).get_data(as_text=True)
    assert ">Godkänn</button>" not in page
    assert (
        '<p id="four-eyes">Fyra ögon: du har skrivit rapporten eller skickat den till granskning '
        "och kan inte godkänna den själv. Granskaren Bo Granskare godkänner den, eller någon "
        "annan av länsbibliotekets personal eller administratörer.</p>"
    ) in page


def test_colleague_approves_by_url(client, login_as):
    author = make_user(role="staff")
    report = make_report(actor=author)
    services.request_review(report, author)
    db.session.commit()
    login_as("staff")
    response = client.post(url(report, "/godkann"))
    assert response.status_code == 302
    page = client.get(url(report)).get_data(as_text=True)
    assert '<dd id="report-state">Godkänd</dd>' in page


def test_preview_is_the_document_the_funder_sees(client, login_as):
    login_as("staff")
    report = make_report()
    html = client.get(url(report, "/forhandsvisning")).get_data(as_text=True)
    assert '<html lang="sv">' in html and "KUR 2015/1234" in html
    assert "Ekonomisk redovisning" in html


def test_the_browser_may_apply_the_previews_own_style_sheet_and_still_runs_no_script(
    client, login_as
):
    """The preview's style sheet is inline, as the PDF's: under the portal's own policy the
    browser showed it unstyled, with tables wider than a phone."""
    login_as("staff")
    policy = client.get(url(make_report(), "/forhandsvisning")).headers["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy.split("; ")
    assert "script-src 'self'" in policy.split("; ")


def test_only_the_preview_carries_the_rules_for_a_narrow_window(client, login_as):
    """WeasyPrint knows media types, not media features: it would warn on every PDF."""
    login_as("staff")
    report = make_report()
    preview = client.get(url(report, "/forhandsvisning")).get_data(as_text=True)
    assert "max-width: 40rem" in preview
    assert "max-width: 40rem" not in render_document(report)


def test_preview_shows_the_texts_markdown_with_headings_under_the_sections(client, login_as):
    staff = login_as("staff")
    report = make_report()
    texts = [section.get("text", "") for section in services.current_version(report).sections]
    texts[0] = "# Läsning\n\nVi läste **högt**\npå BVC."
    services.save_report(report, texts, staff)
    db.session.commit()
    html = client.get(url(report, "/forhandsvisning")).get_data(as_text=True)
    assert "<h3>Läsning</h3>" in html
    assert "<p>Vi läste <strong>högt</strong><br>\npå BVC.</p>" in html
    assert "**" not in html


def test_a_member_not_on_the_team_cannot_open_the_reports(client, login_as):
    report = make_report()
    login_as("member")
    assert client.get(url(report)).status_code == 403
    assert client.get(f"/projekt/{report.project.slug}/rapporter").status_code == 403


def test_the_project_lead_edits_but_cannot_approve(client, login_as):
    lead = login_as("member")
    project = bokstart_project(lead=lead)
    author = make_user(role="staff")
    report = make_report(project=project, actor=author)
    services.request_review(report, author)
    db.session.commit()
    assert client.get(url(report)).status_code == 200
    assert client.post(url(report, "/godkann")).status_code == 403


def test_sent_report_page_lists_its_recipients(client, login_as):
    login_as("staff")
    report = approved_report()
    mark_sent(report)
    page = client.get(url(report)).get_data(as_text=True)
    assert "karin@kur.example" in page
    archive = client.get(f"/projekt/{report.project.slug}/rapporter").get_data(as_text=True)
    assert "karin@kur.example" in archive and "Skickad" in archive


def test_report_page_runs_the_same_statements_as_versions_grow(client, login_as):
    login_as("staff")
    report = make_report(actor=make_user(role="staff"))
    path = url(report)
    client.get(path)
    with counted_statements() as few:
        assert client.get(path).status_code == 200
    for number in range(12):
        texts = [s["text"] for s in services.current_version(report).sections]
        texts[7] = f"Text {number}"
        services.save_report(report, texts, make_user(role="staff"))
    db.session.commit()
    with counted_statements() as many:
        assert client.get(path).status_code == 200
    assert len(many) == len(few)
