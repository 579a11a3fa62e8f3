"""Admins keep report templates without code; an unknown data source is refused clearly."""

from sqlalchemy import select

from portal.extensions import db
from portal.reports.builtins import GENERAL_NAME, KULTURRADET_NAME, add_builtin_templates
from portal.reports.models import ReportTemplate
from tests.reports.factories import make_report


def test_builtin_templates_are_made_once(app):
    add_builtin_templates()
    add_builtin_templates()
    db.session.commit()
    names = db.session.scalars(select(ReportTemplate.name).order_by(ReportTemplate.name)).all()
    assert names == [KULTURRADET_NAME, GENERAL_NAME]


def test_admin_adds_a_template_and_a_report_is_drafted_from_it(client, login_as):
    login_as("admin")
    response = client.post(
        "/admin/rapportmallar/ny",
        data={
            "name": "Stiftelsens rapport",
            "sections-0-title": "Vad vi gjort",
            "sections-0-source": "updates",
            "sections-0-guidance": "Kort, tack.",
            "sections-1-title": "",  # a row left empty, as the browser sends it
            "sections-1-source": "",
            "sections-2-title": "Pengarna",
            "sections-2-source": "economy",
        },
    )
    assert response.status_code == 302
    template = db.session.scalar(
        select(ReportTemplate).where(ReportTemplate.name == "Stiftelsens rapport")
    )
    assert template.sections == [
        {"title": "Vad vi gjort", "source": "updates", "guidance": "Kort, tack."},
        {"title": "Pengarna", "source": "economy", "guidance": ""},
    ]
    report = make_report(template=template)
    sections = report.versions[0].sections
    assert [s["title"] for s in sections] == ["Vad vi gjort", "Pengarna"]
    assert "Första hembesöken i Kramfors." in sections[0]["text"]


def test_unknown_source_is_refused_beside_its_row_and_the_form_keeps_the_text(client, login_as):
    login_as("admin")
    response = client.post(
        "/admin/rapportmallar/ny",
        data={
            "name": "Trasig mall",
            "sections-0-title": "Sammanfattning",
            "sections-0-source": "narrative",
            "sections-1-title": "Väder",
            "sections-1-source": "weather",
        },
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="sections-1-source-error"' in html
    assert "Okänt underlag ”weather”" in html
    assert 'value="Väder"' in html and 'value="Trasig mall"' in html
    assert (
        db.session.scalar(select(ReportTemplate).where(ReportTemplate.name == "Trasig mall"))
        is None
    )


def test_admin_edits_the_kulturradet_template(client, login_as):
    login_as("admin")
    template = next(t for t in add_builtin_templates() if t.name == KULTURRADET_NAME)
    db.session.commit()
    assert KULTURRADET_NAME in client.get("/admin/rapportmallar").get_data(as_text=True)
    page = client.get(f"/admin/rapportmallar/{template.id}").get_data(as_text=True)
    assert 'value="Ekonomisk redovisning"' in page
    response = client.post(
        f"/admin/rapportmallar/{template.id}",
        data={
            "name": KULTURRADET_NAME,
            "sections-0-title": "Bidragsmottagare",
            "sections-0-source": "recipient",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert [s["title"] for s in db.session.get(ReportTemplate, template.id).sections] == [
        "Bidragsmottagare"
    ]
