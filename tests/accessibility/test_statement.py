"""The accessibility statement at /tillganglighet: open to anyone, linked from every page's
footer, the default in DIGG's order until an admin writes it, and only admins write it."""

from sqlalchemy import select

from portal.accessibility.models import AccessibilityStatement
from portal.core.audit import AuditEntry
from portal.extensions import db
from tests.factories import make_organisation

DIGG_FORM = "https://www.digg.se/tdosanmalan"


def test_stranger_reads_the_statement_in_diggs_order_without_logging_in(client):
    make_organisation(
        "Länsbiblioteket Ådalen", kind="county_library", contact_email="info@adalen.example"
    )
    response = client.get("/tillganglighet")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    headings = [
        "<h2>Hur tillgänglig är portalen?</h2>",
        "<h2>Vad kan du göra om du inte kan använda delar av portalen?</h2>",
        "<h2>Rapportera brister i portalens tillgänglighet</h2>",
        "<h2>Tillsyn</h2>",
        "<h2>Teknisk information om portalens tillgänglighet</h2>",
        "<h2>Hur vi testat portalen</h2>",
    ]
    positions = [page.index(heading) for heading in headings]
    assert positions == sorted(positions)
    assert "<strong>delvis förenlig</strong>" in page
    assert "axe-core" in page
    assert "Ingen har ännu testat portalen med skärmläsare" in page
    assert f'<a href="{DIGG_FORM}" rel="noopener noreferrer">{DIGG_FORM}</a>' in page
    assert "Myndigheten för digital förvaltning" in page
    assert "Länsbiblioteket Ådalen står bakom Länsbibliotekets portal" in page
    assert "mailto:info@adalen.example" in page
    assert "Senaste bedömningen gjordes 2026-12-07." in page


def test_statement_without_a_county_library_names_none(client):
    page = client.get("/tillganglighet").get_data(as_text=True)
    assert "Länsbiblioteket står bakom Länsbibliotekets portal" in page
    assert "Västernorrland står bakom" not in page
    assert "mailto:" not in page


def test_login_page_and_signed_in_pages_link_the_statement_and_the_report_form(client, login_as):
    login_page = client.get("/logga-in").get_data(as_text=True)
    assert '<a href="/tillganglighet">Tillgänglighetsredogörelse</a>' in login_page
    assert '<a href="/tillganglighet/rapportera-brist?sida=/logga-in">' in login_page
    login_as("member")
    start = client.get("/kalender").get_data(as_text=True)
    assert '<a href="/tillganglighet">Tillgänglighetsredogörelse</a>' in start
    assert '<a href="/tillganglighet/rapportera-brist?sida=/kalender">' in start


def test_admin_edit_form_starts_from_the_statement_shown(client, login_as):
    make_organisation("Länsbiblioteket Ådalen", kind="county_library")
    login_as("admin")
    page = client.get("/admin/tillganglighet/redogorelse").get_data(as_text=True)
    assert "Länsbiblioteket Ådalen står bakom Länsbibliotekets portal" in page
    assert 'value="2026-12-07"' in page


def test_admin_rewrites_the_statement_and_a_stranger_reads_it(app, client, login_as):
    admin = login_as("admin", name="Åsa Admin")
    response = client.post(
        "/admin/tillganglighet/redogorelse",
        data={
            "body": "# Hur tillgänglig är portalen?\n\nGranskad av **Funka**.",
            "assessed_on": "2026-11-30",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/tillganglighet"
    client.post("/logga-ut")
    page = app.test_client().get("/tillganglighet").get_data(as_text=True)
    assert "<h2>Hur tillgänglig är portalen?</h2>\n<p>Granskad av <strong>Funka</strong>.</p>" in (
        page
    )
    assert "delvis förenlig" not in page
    assert "Senaste bedömningen gjordes 2026-11-30." in page
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.entity == "accessibility_statement")
    )
    assert entry.actor_id == admin.id
    assert entry.changes["assessed_on"] == [None, "2026-11-30"]


def test_staff_cannot_change_the_statement(client, login_as):
    login_as("staff")
    response = client.post(
        "/admin/tillganglighet/redogorelse",
        data={"body": "Allt är tillgängligt.", "assessed_on": "2026-11-30"},
    )
    assert response.status_code == 403
    assert db.session.scalar(select(AccessibilityStatement)) is None
    assert "delvis förenlig" in client.get("/tillganglighet").get_data(as_text=True)


def test_statement_without_text_is_refused_in_swedish_and_keeps_the_date(client, login_as):
    login_as("admin")
    response = client.post(
        "/admin/tillganglighet/redogorelse", data={"body": "  ", "assessed_on": "2026-11-30"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Skriv redogörelsen." in page
    assert 'value="2026-11-30"' in page
    assert db.session.scalar(select(AccessibilityStatement)) is None


def test_assessment_in_the_future_is_refused_beside_its_field(client, login_as):
    login_as("admin")
    response = client.post(
        "/admin/tillganglighet/redogorelse",
        data={"body": "Granskad.", "assessed_on": "2199-01-01"},
    )
    page = response.get_data(as_text=True)
    assert 'id="assessed_on-error"' in page
    assert "Bedömningen kan inte ha gjorts i framtiden." in page
    assert "Granskad.</textarea>" in page


def test_statement_markdown_cannot_carry_a_script(app, client, login_as):
    login_as("admin")
    client.post(
        "/admin/tillganglighet/redogorelse",
        data={
            "body": "Text <script>alert(1)</script> [x](javascript:alert(1))",
            "assessed_on": "2026-11-30",
        },
    )
    page = app.test_client().get("/tillganglighet").get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert 'href="javascript' not in page


def test_english_reader_gets_english_around_the_swedish_statement_marked_as_swedish(client):
    page = client.get("/tillganglighet", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "<h1>Accessibility of the County Library's portal</h1>" in page
    assert '<div class="markdown" lang="sv"><p>Länsbiblioteket står bakom' in page
    assert "The latest assessment was made on 2026-12-07." in page
