"""A report drafts itself from the project's record for the period, and renders as a document."""

from datetime import date, timedelta

import pytest

from portal.core.errors import ValidationError
from portal.extensions import db
from portal.projects.models import ProgressUpdate
from portal.reports import services
from portal.reports.builtins import GENERAL_NAME, add_builtin_templates
from portal.reports.document import render_document
from tests.factories import make_user
from tests.reports.factories import bokstart_project, kulturradet_template, make_report, section


def test_kulturradet_sections_follow_the_funders_form(app):
    report = make_report()
    titles = [s["title"] for s in services.current_version(report).sections]
    assert titles == [
        "Bidragsmottagare",
        "Kontaktperson",
        "Diarienummer",
        "Vad har genomförts",
        "Måluppfyllelse",
        "Målgrupp och räckvidd",
        "Samarbetsparter",
        "Förändringar jämfört med ansökan",
        "Ekonomisk redovisning",
    ]


def test_only_updates_inside_the_period_are_drafted(app):
    version = services.current_version(make_report())
    done = section(version, "Vad har genomförts")
    assert "Första hembesöken i Kramfors." in done["text"]
    assert "Bokpåsar till BVC i Timrå." in done["text"]
    assert "Höstens träffar" not in done["text"]
    assert "Förberedelser" not in done["text"]
    assert len(done["data"]["tables"][0]["rows"]) == 2


def test_a_busy_period_drafts_the_latest_updates_and_says_how_many_there_were(app):
    project = bokstart_project()
    db.session.add_all(
        ProgressUpdate(
            project=project,
            author=project.lead,
            reported_on=date(2016, 4, 1) + timedelta(days=day),
            text=f"Sagostund nummer {day} i Ånge.",
            municipality="Ånge",
        )
        for day in range(20)
    )
    db.session.commit()
    done = section(services.current_version(make_report(project)), "Vad har genomförts")
    assert "Under perioden rapporterades 22 uppdateringar. De 12 senaste:" in done["text"]
    assert "Sagostund nummer 19 i Ånge." in done["text"]
    assert "Sagostund nummer 7 i Ånge." not in done["text"]
    log, per_municipality = done["data"]["tables"]
    assert len(log["rows"]) == 22
    assert ["Ånge", "20"] in per_municipality["rows"]


def test_the_funders_document_has_the_story_and_counts_but_not_the_whole_log(app):
    report = make_report()
    document = render_document(report)
    assert "Uppdateringar per kommun" in document
    assert "Första hembesöken i Kramfors." in document  # in the drafted story
    assert "Uppdateringar 2016-01-01–2016-06-30" not in document


def test_milestones_reached_and_missed_in_the_period(app):
    report = make_report(template=_general_template())
    milestones = section(services.current_version(report), "Milstolpar")
    assert milestones["data"]["figures"] == {
        "reached": ["Utbildning för BVC-personal"],
        "missed": ["Bokpåsar tryckta"],
    }
    assert "Missade milstolpar: Bokpåsar tryckta." in milestones["text"]
    assert "Slutkonferens" not in milestones["text"]


def _general_template():
    templates = add_builtin_templates()
    db.session.commit()
    return next(t for t in templates if t.name == GENERAL_NAME)


def test_economy_sums_financing_costs_and_spent_up_to_the_period_end(app):
    economy = section(services.current_version(make_report()), "Ekonomisk redovisning")
    figures = economy["data"]["figures"]
    assert figures["financing_ore"] == 800_000_00
    assert figures["planned_ore"] == 800_000_00
    assert figures["spent_ore"] == 52_500_00  # July's salary is after the period
    assert figures["remaining_ore"] == 747_500_00
    assert figures["is_balanced"] is True
    assert "Kostnaderna är lika stora som finansieringen." in economy["text"]


def test_indicators_against_target_per_municipality_with_a_chart(app):
    goals = section(services.current_version(make_report()), "Måluppfyllelse")
    total, per_municipality = goals["data"]["tables"]
    assert total["rows"][0][:2] == ["Familjer som nåtts", "100 familjer"]
    assert total["rows"][0][4] == "25\u00a0%"
    assert [row[0] for row in per_municipality["rows"]] == ["Kramfors", "Timrå"]
    assert [row[1] for row in per_municipality["rows"]] == ["60", "40"]
    assert goals["data"]["chart"]["bars"][0]["value"] == 100.0


def refusal_of_period(starts_on: date, ends_on: date) -> ValidationError:
    project = bokstart_project()
    with pytest.raises(ValidationError) as refused:
        services.create_report(
            project,
            grant=project.grants[0],
            template=kulturradet_template(),
            kind="progress_report",
            period_starts_on=starts_on,
            period_ends_on=ends_on,
            actor=None,
        )
    return refused.value


def test_period_outside_the_grant_is_refused_naming_the_field(app):
    refused = refusal_of_period(date(2015, 7, 1), date(2015, 12, 31))
    assert refused.field == "period_starts_on"
    assert "före bidragets period" in str(refused.message)


def test_period_ending_before_it_starts_is_refused(app):
    assert refusal_of_period(date(2016, 6, 30), date(2016, 1, 1)).field == "period_ends_on"


def test_report_drafted_by_the_portal_has_no_author(app):
    report = make_report()
    assert services.current_version(report).author_id is None
    actor = make_user(role="staff")
    other = make_report(project=bokstart_project(slug="bokstart-3"), actor=actor)
    assert services.current_version(other).author_id == actor.id


def test_document_is_standalone_swedish_html_with_title_and_case_number(app):
    html = render_document(make_report())
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert '<html lang="sv">' in html
    assert "<title>Bokstart Västernorrland – Lägesrapport 2016-01-01–2016-06-30</title>" in html
    assert "KUR 2015/1234" in html
    assert '<th scope="col"' in html and '<th scope="row">' in html
    assert "<svg" in html and "<desc" in html
    assert "<style>" in html
    assert "<script" not in html and "<link" not in html and "src=" not in html
