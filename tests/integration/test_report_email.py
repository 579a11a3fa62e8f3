"""A sent report reaches the funder through the real worker and SMTP server: the PDF arrives
and opens, Reply-To is the project lead, and a 451 delays the email but never loses it."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.notifications.models import OutboundEmail
from proof.processes import wait_until
from tests.pdfs import is_pdf, pdf_text
from tests.reports.delivery_factories import CASE_NUMBER, HANDLAGGARE, REGISTRATOR, approved_report

pytestmark = [pytest.mark.integration, pytest.mark.both_databases]

FILENAME = "lagesrapport-bokstart-vasternorrland-2016-01-01-2016-06-30.pdf"


def emails() -> list[OutboundEmail]:
    db.session.rollback()
    return db.session.scalars(select(OutboundEmail).order_by(OutboundEmail.id)).all()


def all_sent():
    rows = emails()
    return rows and all(row.status == "sent" for row in rows) and rows


def send(client, report):
    response = client.post(f"/projekt/{report.project.slug}/rapporter/{report.id}/skicka")
    assert response.status_code == 302
    return response


def the_pdf(message):
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == FILENAME
    return attachment.get_content()


def test_sent_report_arrives_with_the_pdf_and_the_lead_in_reply_to(
    client, login_as, celery_worker, smtp_server
):
    celery_worker()
    report = approved_report()
    lead_email = report.project.lead.email
    login_as("staff")

    send(client, report)

    delivered = wait_until(
        lambda: len(smtp_server.delivered) >= 2 and smtp_server.delivered,
        timeout=60,
        message="the report at both contacts",
    )
    assert sorted(envelope.rcpt_tos[0] for envelope in delivered) == sorted(
        [HANDLAGGARE, REGISTRATOR]
    )
    for envelope in delivered:
        assert len(envelope.rcpt_tos) == 1
        message = envelope.message
        assert message["Reply-To"] == lead_email
        assert CASE_NUMBER in message["Subject"]
        assert "Bokstart Västernorrland" in message.get_body(("plain",)).get_content()
        assert "Bokstart Västernorrland" in message.get_body(("html",)).get_content()
        pdf = the_pdf(message)
        assert is_pdf(pdf)
        text = pdf_text(pdf)
        assert "Bokstart Västernorrland" in text
        assert CASE_NUMBER in text
    wait_until(all_sent, message="both rows marked sent")


def test_451_delays_the_report_but_it_arrives_on_retry(
    client, login_as, celery_worker, smtp_server
):
    smtp_server.fail_next(1, "451 4.3.0 try later")
    celery_worker()
    report = approved_report()
    login_as("staff")

    send(client, report)

    rows = wait_until(all_sent, timeout=60, message="both emails sent after the 451")
    offers = [smtp_server.offers_of(row.message_id) for row in rows]
    replies = sorted([envelope.reply for envelope in offer] for offer in offers)
    assert replies == [
        ["250 Message accepted for delivery"],
        ["451 4.3.0 try later", "250 Message accepted for delivery"],
    ]
    delayed = next(offer for offer in offers if len(offer) == 2)
    assert CASE_NUMBER in pdf_text(the_pdf(delayed[-1].message))
    assert sorted(row.attempts for row in rows) == [1, 2]
