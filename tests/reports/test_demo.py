"""The demo data: the built-in templates and a draft Kulturrådet report for Bokstart."""

from sqlalchemy import select

from portal.extensions import db
from portal.reports.models import Report, ReportTemplate


def run_demo(app):
    result = app.test_cli_runner().invoke(args=["portal", "demo"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()


def test_demo_has_a_draft_kulturradet_report_for_bokstart_once(app):
    run_demo(app)
    run_demo(app)
    reports = db.session.scalars(select(Report)).all()
    assert len(reports) == 1
    report = reports[0]
    assert report.project.slug == "bokstart-vasternorrland"
    assert report.state == "draft" and report.template.name == "Kulturrådet"
    assert report.grant.case_number == "KUR 2015/1234"
    names = set(db.session.scalars(select(ReportTemplate.name)))
    assert names == {"Kulturrådet", "Lägesrapport (allmän)"}
    assert report.template.funder.name == "Kulturrådet"
