"""Sending an approved report: one email per funder contact with the PDF, the lead in Reply-To,
the archive of what went out, and refusals that queue nothing."""

from datetime import date

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select, update

from portal.extensions import db
from portal.notifications.models import OutboundEmail
from portal.projects.models import ReportDeadline
from portal.reports import delivery, services
from portal.reports.models import Report, ReportDelivery
from portal.reports.services import NotAllowed
from tests.factories import PASSWORD, make_organisation, make_user
from tests.pdfs import is_pdf, pdf_info, pdf_language, pdf_text
from tests.reports.delivery_factories import (
    CASE_NUMBER,
    HANDLAGGARE,
    REGISTRATOR,
    add_progress_deadlines,
    approved_report,
)
from tests.reports.factories import make_report

# The outbox's status writer records deliveries on a connection of its own: real commits.
pytestmark = [pytest.mark.both_databases, pytest.mark.commits]

FILENAME = "lagesrapport-bokstart-vasternorrland-2016-01-01-2016-06-30.pdf"


def outbox() -> list[OutboundEmail]:
    db.session.expire_all()
    return db.session.scalars(select(OutboundEmail).order_by(OutboundEmail.id)).all()


def send_url(report) -> str:
    return f"/projekt/{report.project.slug}/rapporter/{report.id}/skicka"


def pdf_url(report) -> str:
    return f"/projekt/{report.project.slug}/rapporter/{report.id}/rapport.pdf"


def sent(report, actor=None):
    actor = actor or make_user(role="staff", name="Erik Sjölund")
    deliveries = delivery.send_report(report, actor)
    db.session.commit()
    return deliveries


# --- The service ---------------------------------------------------------------------------


def test_each_contact_who_receives_reports_gets_its_own_outbox_row(app):
    report = approved_report()

    deliveries = sent(report)

    rows = outbox()
    assert sorted(row.recipient for row in rows) == sorted([HANDLAGGARE, REGISTRATOR])
    assert all(row.template == "report_sent" for row in rows)
    assert {(d.recipient_email, d.outbound_email_id) for d in deliveries} == {
        (row.recipient, row.id) for row in rows
    }
    assert db.session.scalar(select(func.count(ReportDelivery.id))) == 2


def test_sending_marks_the_report_sent_and_keeps_the_pdf_that_went_out(app):
    report = approved_report()
    sender = make_user(role="staff", name="Erik Sjölund")

    sent(report, sender)

    db.session.expire_all()
    stored = db.session.get(Report, report.id)
    assert stored.state == "sent"
    assert stored.sent_at is not None
    assert stored.sent_by_id == sender.id
    (row, _) = outbox()
    assert stored.sent_pdf == row.attachments[0].data


def test_reply_to_is_the_project_lead(app):
    report = approved_report()

    sent(report)

    assert {row.reply_to for row in outbox()} == {report.project.lead.email}


def test_reply_to_is_the_sender_when_the_project_has_no_lead(app):
    report = approved_report()
    report.project.lead = None
    db.session.commit()
    sender = make_user(role="staff", email="erik@lansbiblioteket.example")

    sent(report, sender)

    assert {row.reply_to for row in outbox()} == {"erik@lansbiblioteket.example"}


def test_attachment_is_a_pdf_with_the_project_title_and_case_number(app):
    report = approved_report()

    sent(report)

    (attachment,) = outbox()[0].attachments
    assert attachment.filename == FILENAME
    assert attachment.content_type == "application/pdf"
    assert is_pdf(attachment.data)
    text = pdf_text(attachment.data)
    assert "Bokstart Västernorrland" in text
    assert CASE_NUMBER in text
    assert "Första hembesöken i Kramfors." in text
    assert pdf_info(attachment.data)["Title"].startswith("Bokstart Västernorrland")
    assert pdf_language(attachment.data) == "sv"


def test_email_body_summarises_the_report_in_swedish(app):
    report = approved_report()

    sent(report)

    row = outbox()[0]
    assert (
        row.subject
        == f"Lägesrapport: Bokstart Västernorrland 2016-01-01–2016-06-30 ({CASE_NUMBER})"
    )
    for body in (row.text_body, row.html_body):
        assert "Bokstart Västernorrland" in body
        assert "2016-01-01–2016-06-30" in body
        assert CASE_NUMBER in body
        assert "Första hembesöken i Kramfors." in body  # the first lines of what was done
        assert "Lena Ledare" in body  # the contact person
        assert FILENAME in body
    assert row.text_body.startswith("Hej Kulturrådets registrator!") or row.text_body.startswith(
        "Hej Maria Lindqvist!"
    )


def test_the_message_leaves_the_outbox_with_the_pdf_attached(app, deliver_outbox, sent_messages):
    report = approved_report()
    sent(report)

    deliver_outbox()

    messages = sent_messages()
    assert len(messages) == 2
    message = next(m for m in messages if m["To"] == HANDLAGGARE)
    assert message["Reply-To"] == report.project.lead.email
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == FILENAME
    assert CASE_NUMBER in pdf_text(attachment.get_content())
    assert "Bokstart Västernorrland" in message.get_body(("plain",)).get_content()
    assert message.get_body(("html",)) is not None


@pytest.mark.parametrize("state", ["draft", "in_review"])
def test_a_report_that_is_not_approved_is_refused_and_nothing_is_queued(app, state):
    report = make_report()
    if state == "in_review":
        services.request_review(report, make_user(role="staff"))
        db.session.commit()
    approved_report_contacts = approved_report(slug="bokstart-2")  # contacts for Kulturrådet
    assert approved_report_contacts.grant.funder_id == report.grant.funder_id

    with pytest.raises(NotAllowed) as refused:
        delivery.send_report(report, make_user(role="staff"))

    assert "Bara en godkänd rapport kan skickas" in str(refused.value.message)
    db.session.rollback()
    assert outbox() == []
    assert db.session.get(Report, report.id).state == state


def test_a_funder_without_contacts_is_refused_with_a_pointer_to_the_funders_page(app):
    report = approved_report(contacts=False)

    with pytest.raises(NotAllowed) as refused:
        delivery.send_report(report, make_user(role="staff"))

    assert "Kulturrådet har ingen kontaktperson som får rapporter" in str(refused.value.message)
    assert "/finansiarer" in str(refused.value.message)
    db.session.rollback()
    assert outbox() == []
    assert db.session.get(Report, report.id).state == "approved"


def test_a_sent_report_cannot_be_sent_again(app):
    report = approved_report()
    sent(report)

    with pytest.raises(NotAllowed):
        delivery.send_report(report, make_user(role="staff"))
    db.session.rollback()
    assert len(outbox()) == 2


def test_a_report_someone_else_sent_meanwhile_is_not_sent_again(app):
    report = approved_report()
    staff = make_user(role="staff")
    # A colleague's send commits while this page still shows the report as approved.
    db.session.execute(
        update(Report)
        .where(Report.id == report.id)
        .values(state="sent", sent_at=func.now())
        .execution_options(synchronize_session=False)
    )
    assert report.state == "approved"

    with pytest.raises(NotAllowed) as refused:
        delivery.send_report(report, staff)

    assert "redan skickad" in str(refused.value.message)
    assert outbox() == []


@freeze_time("2016-07-10 09:00:00")
def test_the_nearest_deadline_after_the_period_is_marked_submitted(app):
    report = approved_report()
    early, nearest, later = add_progress_deadlines(
        report.grant, date(2016, 3, 31), date(2016, 7, 31), date(2017, 1, 31)
    )

    sent(report)

    db.session.expire_all()
    assert db.session.get(ReportDeadline, nearest.id).submitted_on == date(2016, 7, 10)
    assert db.session.get(ReportDeadline, early.id).submitted_on is None
    assert db.session.get(ReportDeadline, later.id).submitted_on is None
    final = next(d for d in report.grant.deadlines if d.kind == "final_report")
    assert final.submitted_on is None


# --- The routes ----------------------------------------------------------------------------


def test_staff_send_an_approved_report_from_its_page(client, login_as):
    report = approved_report()
    login_as("staff")

    response = client.post(send_url(report))

    assert response.status_code == 302
    assert len(outbox()) == 2
    assert db.session.get(Report, report.id).state == "sent"


def test_the_project_lead_may_send_the_report(client):
    report = approved_report()
    lead = report.project.lead
    client.post("/logga-in", data={"email": lead.email, "password": PASSWORD})
    response = client.post(send_url(report))

    assert response.status_code == 302
    assert len(outbox()) == 2


def test_sending_a_draft_by_url_is_refused_and_queues_nothing(client, login_as):
    report = make_report()
    login_as("staff")

    response = client.post(send_url(report), follow_redirects=True)

    assert "Bara en godkänd rapport kan skickas till finansiären." in response.get_data(
        as_text=True
    )
    assert outbox() == []
    assert db.session.get(Report, report.id).state == "draft"


def test_member_outside_the_project_gets_403_and_nothing_is_sent(client, login_as):
    report = approved_report()
    login_as("member")

    assert client.post(send_url(report)).status_code == 403
    assert client.get(pdf_url(report)).status_code == 403
    assert outbox() == []


def test_stranger_is_sent_to_the_login_page(client, app):
    report = approved_report()

    response = client.post(send_url(report))

    assert response.status_code == 302
    assert "/logga-in" in response.headers["Location"]
    assert outbox() == []


def test_pdf_of_a_sent_report_is_exactly_what_went_out(client, login_as):
    report = approved_report()
    sent(report)
    login_as("staff")

    response = client.get(pdf_url(report))

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert FILENAME in response.headers["Content-Disposition"]
    assert response.data == outbox()[0].attachments[0].data


def test_pdf_of_an_unsent_report_is_rendered_from_the_current_version(client, login_as):
    report = make_report()
    services.save_report(
        report,
        [
            "Nytt stycke om Bokstart i Ånge." if s["title"] == "Vad har genomförts" else s["text"]
            for s in services.current_version(report).sections
        ],
        None,
    )
    db.session.commit()
    login_as("staff")

    response = client.get(pdf_url(report))

    assert response.status_code == 200
    assert "Nytt stycke om Bokstart i Ånge." in pdf_text(response.data)


def test_the_archive_and_the_report_page_link_to_the_pdf_that_went_out(client, login_as):
    report = approved_report()
    sent(report)
    login_as("staff")
    archive = client.get(f"/projekt/{report.project.slug}/rapporter").get_data(as_text=True)
    page = client.get(f"/projekt/{report.project.slug}/rapporter/{report.id}").get_data(
        as_text=True
    )
    assert f'href="{pdf_url(report)}"' in archive
    assert "Öppna PDF:en som skickades" in page and f'href="{pdf_url(report)}"' in page


def test_the_email_comes_from_the_county_library_named_in_the_data(app):
    """The county library's name is data (any county can run the portal): the funder reads
    it in the email, not a name written into the template."""
    make_organisation("Länsbiblioteket Jämtlands län", kind="county_library")
    report = approved_report()

    sent(report)

    text = outbox()[0].text_body
    assert "från Länsbiblioteket Jämtlands län." in text
    assert text.rstrip().endswith("Erik Sjölund\nLänsbiblioteket Jämtlands län")
