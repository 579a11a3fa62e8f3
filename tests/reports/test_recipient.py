"""Kulturrådet's "Bidragsmottagare" is the organisation that holds the grant (the county library
that runs the project), not whichever participant leads the application."""

from portal.extensions import db
from portal.projects.models import ProjectParticipant
from portal.reports import services
from portal.reports.document import render_document
from tests.reports.factories import bokstart_project, make_report, organisation, section


def _recipient(report) -> str:
    facts = dict(section(services.current_version(report), "Bidragsmottagare")["data"]["facts"])
    return facts["Bidragsmottagare"]


def test_the_recipient_is_the_county_library_not_the_lead_applicant(app):
    county = organisation("Länsbiblioteket Västernorrland", kind="county_library")
    project = bokstart_project()
    ange = organisation("Ånge bibliotek", municipality_name="Ånge")
    project.participants.append(ProjectParticipant(organisation=ange, role="lead_applicant"))
    db.session.commit()
    report = make_report(project)
    assert _recipient(report) == county.name
    recipient = section(services.current_version(report), "Bidragsmottagare")
    assert recipient["text"].startswith("Länsbiblioteket Västernorrland tar emot bidraget")
    assert "Ånge" not in recipient["text"]
    assert "<dt>Bidragsmottagare</dt><dd>Länsbiblioteket Västernorrland</dd>" in render_document(
        report
    )


def test_the_county_library_taking_part_is_chosen_among_several(app):
    organisation("Länsbiblioteket Jämtland", kind="county_library")
    project = bokstart_project()
    county = organisation("Länsbiblioteket Västernorrland", kind="county_library")
    project.participants.append(ProjectParticipant(organisation=county, role="partner"))
    db.session.commit()
    assert _recipient(make_report(project)) == "Länsbiblioteket Västernorrland"


def test_without_a_county_library_the_lead_applicant_receives_the_grant(app):
    project = bokstart_project()
    ange = organisation("Ånge bibliotek", municipality_name="Ånge")
    project.participants.append(ProjectParticipant(organisation=ange, role="lead_applicant"))
    db.session.commit()
    assert _recipient(make_report(project)) == "Ånge bibliotek"
