"""A document added to a project reaches its people as each of them chose for "documents in
my projects", and never someone who may not read it."""

import io

from sqlalchemy import select

from portal.documents import services
from portal.extensions import db
from portal.notifications import preferences
from portal.notifications.models import DigestEntry, OutboundEmail
from tests.documents.factories import make_document, plan_pdf
from tests.factories import make_organisation, make_user
from tests.projects.factories import make_project


def recipients() -> list[str]:
    return sorted(db.session.scalars(select(OutboundEmail.recipient)))


def bokstart():
    kramfors = make_organisation("Kramfors bibliotek")
    timra = make_organisation("Timrå bibliotek")
    lead = make_user(role="staff", name="Erik Sjölund", email="erik@lansbiblioteket.example")
    karin = make_user(organisation=kramfors, name="Karin Holm", email="karin@kramfors.example")
    follower = make_user(organisation=timra, name="Tove Berg", email="tove@timra.example")
    project = make_project("Bokstart", slug="bokstart", lead=lead, team=[karin])
    project.followers = [follower]
    for person in (lead, karin, follower):
        preferences.save_frequencies(person, {"documents": "immediately"})
    db.session.commit()
    return project, lead, karin, follower


def test_the_team_hears_of_a_team_document_but_a_follower_from_another_library_does_not(app):
    project, lead, karin, _follower = bokstart()
    make_document(
        lead, title="Ansökan till Kulturrådet", project_id=project.id, visibility="project"
    )
    assert recipients() == ["karin@kramfors.example"]
    email = db.session.scalar(select(OutboundEmail))
    assert email.subject == "Nytt dokument i Bokstart"
    assert "Erik Sjölund har lagt till dokumentet Ansökan till Kulturrådet" in email.text_body
    assert email.list_unsubscribe and email.list_unsubscribe in email.text_body


def test_a_document_for_everyone_reaches_the_followers_too(app):
    project, lead, _karin, _follower = bokstart()
    make_document(lead, title="Bokstart i korthet", project_id=project.id, visibility="everyone")
    assert recipients() == ["karin@kramfors.example", "tove@timra.example"]


def test_a_new_version_is_told_as_a_new_version(app):
    project, lead, karin, _follower = bokstart()
    document = make_document(lead, project_id=project.id, visibility="project")
    db.session.execute(OutboundEmail.__table__.delete())
    services.upload_version(karin, document, services.Upload(io.BytesIO(plan_pdf()), "v2.pdf"))
    db.session.commit()
    assert recipients() == ["erik@lansbiblioteket.example"]
    email = db.session.scalar(select(OutboundEmail))
    assert email.subject == "Ny version av ett dokument i Bokstart"
    assert "Karin Holm har laddat upp version 2" in email.text_body


def test_someone_who_wants_a_daily_digest_gets_an_entry_instead_of_an_email(app):
    project, lead, karin, _follower = bokstart()
    preferences.save_frequencies(karin, {"documents": "daily"})
    db.session.commit()
    make_document(
        lead, title="Ansökan till Kulturrådet", project_id=project.id, visibility="project"
    )
    assert recipients() == []
    (entry,) = db.session.scalars(select(DigestEntry)).all()
    assert (entry.user_id, entry.kind, entry.summary) == (
        karin.id,
        "documents",
        "Ansökan till Kulturrådet",
    )


def test_a_document_outside_projects_tells_nobody(app):
    _project, lead, _karin, _follower = bokstart()
    make_document(lead, title="Regional biblioteksplan", visibility="everyone")
    assert recipients() == []
    assert db.session.scalars(select(DigestEntry)).all() == []
