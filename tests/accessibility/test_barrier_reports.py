""" "Rapportera en brist": anyone may report, logged in or not; the report is kept and emailed
to the county library through the outbox; bots that fill the honeypot are dropped without a
word; admins list the reports and mark them handled."""

import re

import pytest
from sqlalchemy import select

from portal.accessibility.models import BarrierReport
from portal.core.audit import AuditEntry
from portal.extensions import db
from portal.notifications.models import OutboundEmail
from tests.factories import make_organisation, make_user

REPORT = {
    "kind": "barrier",
    "page": "/kalender",
    "description": "Kalendern går inte att förstora till 200 %.\nTexten hamnar utanför.",
    "contact_name": "Karin Lund",
    "contact_email": "Karin.Lund@Kramfors.example",
}


def county_library(contact_email="lansbiblioteket@adalen.example"):
    return make_organisation(
        "Länsbiblioteket Ådalen", kind="county_library", contact_email=contact_email
    )


def reports() -> list[BarrierReport]:
    db.session.expire_all()
    return list(db.session.scalars(select(BarrierReport).order_by(BarrierReport.id)))


def emails() -> list[OutboundEmail]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboundEmail).order_by(OutboundEmail.id)))


@pytest.mark.commits  # the outbox records a delivery on a connection of its own
def test_stranger_reports_a_barrier_that_is_kept_and_emailed_to_the_county_library(
    client, deliver_outbox, sent_messages
):
    county_library()
    response = client.post("/tillganglighet/rapportera-brist", data=REPORT)
    assert response.status_code == 302
    assert response.headers["Location"] == "/tillganglighet"
    page = client.get("/tillganglighet").get_data(as_text=True)
    assert "Tack! Det du skrev har skickats till länsbiblioteket." in page

    [report] = reports()
    assert (report.kind, report.page, report.status) == ("barrier", "/kalender", "new")
    assert report.description == REPORT["description"]
    assert (report.contact_name, report.contact_email) == (
        "Karin Lund",
        "karin.lund@kramfors.example",
    )
    [email] = emails()
    assert email.recipient == "lansbiblioteket@adalen.example"
    assert email.reply_to == "karin.lund@kramfors.example"
    assert email.subject == "Rapporterad brist i tillgängligheten: /kalender"

    deliver_outbox()
    [message] = sent_messages()
    assert message["To"] == "lansbiblioteket@adalen.example"
    assert message["Reply-To"] == "karin.lund@kramfors.example"
    text = message.get_body(("plain",)).get_content()
    assert "Sida eller dokument: /kalender" in text
    assert "Kalendern går inte att förstora till 200 %." in text
    assert "Karin Lund, karin.lund@kramfors.example" in text
    assert "http://portal.test/admin/tillganglighet" in text


def test_request_for_another_format_without_contact_is_emailed_as_such(client):
    county_library()
    response = client.post(
        "/tillganglighet/rapportera-brist",
        data={
            "kind": "other_format",
            "page": "Verksamhetsplan 2026.pdf",
            "description": "Jag behöver planen som Word-fil.",
        },
    )
    assert response.status_code == 302
    [report] = reports()
    assert (report.kind, report.contact_name, report.contact_email) == (
        "other_format",
        None,
        None,
    )
    [email] = emails()
    assert email.subject == "Begäran om innehåll i annat format: Verksamhetsplan 2026.pdf"
    assert email.reply_to is None
    assert "ingen kontaktuppgift" in email.text_body


def test_report_goes_to_the_active_admins_when_the_county_library_has_no_address(client):
    county_library(contact_email=None)
    make_user(role="admin", email="admin@adalen.example", language="en")
    make_user(role="admin", email="slutat@adalen.example", active=False)
    make_user(role="staff", email="personal@adalen.example")
    client.post("/tillganglighet/rapportera-brist", data=REPORT)
    [email] = emails()
    assert email.recipient == "admin@adalen.example"
    assert email.subject == "Reported accessibility barrier: /kalender"


def test_a_filled_in_honeypot_is_answered_as_a_report_but_nothing_is_kept_or_sent(client):
    county_library()
    real = client.post("/tillganglighet/rapportera-brist", data=REPORT)
    bot = client.post(
        "/tillganglighet/rapportera-brist",
        data={**REPORT, "website": "https://billiga-klockor.example"},
    )
    assert bot.status_code == real.status_code == 302
    assert bot.headers["Location"] == real.headers["Location"]
    assert len(reports()) == 1
    assert len(emails()) == 1


def test_honeypot_is_hidden_from_people_and_screen_readers(client):
    page = client.get("/tillganglighet/rapportera-brist").get_data(as_text=True)
    honeypot = re.search(r'<div class="honeypot" aria-hidden="true">(.*?)</div>', page, re.S)
    assert honeypot is not None
    assert 'tabindex="-1"' in honeypot.group(1)
    assert 'name="website"' in honeypot.group(1)


def test_report_without_a_description_keeps_what_was_typed_with_a_swedish_message(client):
    county_library()
    response = client.post(
        "/tillganglighet/rapportera-brist",
        data={**REPORT, "description": "", "contact_email": "karin@kramfors"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Fel: Rapportera en brist" in page
    assert "Beskriv problemet eller vad du behöver." in page
    assert "Ange en giltig e-postadress, till exempel namn@bibliotek.se." in page
    assert 'aria-describedby="description-hint description-error" aria-invalid="true"' in page
    assert 'value="/kalender"' in page
    assert 'value="Karin Lund"' in page
    assert 'value="karin@kramfors"' in page
    assert reports() == []
    assert emails() == []


def test_report_without_a_page_is_refused_beside_the_page_field(client):
    response = client.post("/tillganglighet/rapportera-brist", data={**REPORT, "page": " "})
    page = response.get_data(as_text=True)
    assert 'id="page-error"' in page
    assert "Skriv vilken sida eller vilket dokument det gäller." in page
    assert "Kalendern går inte att förstora" in page
    assert reports() == []


def test_a_made_up_kind_is_refused_beside_the_choice(client):
    response = client.post("/tillganglighet/rapportera-brist", data={**REPORT, "kind": "spam"})
    page = response.get_data(as_text=True)
    assert '<p class="error" id="kind-error"><span>Välj vad det gäller.</span>' in page
    assert reports() == []


def test_the_footer_link_fills_in_the_page_the_person_came_from(client):
    page = client.get("/tillganglighet/rapportera-brist?sida=/dokument/12").get_data(as_text=True)
    assert 'name="page" required type="text" value="/dokument/12"' in page


def test_a_signed_in_person_finds_their_name_and_address_filled_in(client, login_as):
    login_as("member", name="Karin Lund", email="karin@kramfors.example")
    page = client.get("/tillganglighet/rapportera-brist").get_data(as_text=True)
    assert 'value="Karin Lund"' in page
    assert 'value="karin@kramfors.example"' in page


def test_reports_from_one_address_are_limited_with_a_swedish_page(app, client):
    app.config["BARRIER_REPORT_LIMIT"] = "2 per hour"
    county_library()
    for _ in range(2):
        assert client.post("/tillganglighet/rapportera-brist", data=REPORT).status_code == 302
    refused = client.post("/tillganglighet/rapportera-brist", data=REPORT)
    assert refused.status_code == 429
    assert "För många försök på kort tid" in refused.get_data(as_text=True)
    assert len(reports()) == 2
    assert client.get("/tillganglighet/rapportera-brist").status_code == 200


def test_report_without_csrf_token_gets_400_and_nothing_is_kept(csrf_app, client):
    county_library()
    response = client.post("/tillganglighet/rapportera-brist", data=REPORT)
    assert response.status_code == 400
    assert reports() == []
    assert emails() == []


def test_admin_lists_the_reports_and_marks_one_handled_and_new_again(client, login_as):
    county_library()
    client.post("/tillganglighet/rapportera-brist", data=REPORT)
    client.post(
        "/tillganglighet/rapportera-brist",
        data={**REPORT, "page": "/nyheter", "description": "Knappen saknar text."},
    )
    admin = login_as("admin", name="Åsa Admin")
    page = client.get("/admin/tillganglighet").get_data(as_text=True)
    assert "Nya rapporter skickas med e-post till lansbiblioteket@adalen.example." in page
    assert ">Ny: 2</a>" in page
    assert "Kalendern går inte att förstora till 200 %." in page
    assert "Knappen saknar text." in page

    calendar = next(report for report in reports() if report.page == "/kalender")
    response = client.post(
        f"/admin/tillganglighet/{calendar.id}/status?status=new", data={"status": "handled"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/tillganglighet?status=new"
    [handled] = [report for report in reports() if report.id == calendar.id]
    assert handled.status == "handled"
    assert handled.handled_by_id == admin.id
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity == "barrier_report"))
    assert entry.changes == {"status": ["new", "handled"]}

    new_only = client.get("/admin/tillganglighet?status=new").get_data(as_text=True)
    assert "Rapporten är markerad som hanterad." in new_only
    assert "Knappen saknar text." in new_only
    assert "Kalendern går inte att förstora" not in new_only
    handled_page = client.get("/admin/tillganglighet?status=handled").get_data(as_text=True)
    assert "Kalendern går inte att förstora" in handled_page
    assert "Åsa Admin" in handled_page

    client.post(f"/admin/tillganglighet/{calendar.id}/status", data={"status": "new"})
    [again] = [report for report in reports() if report.id == calendar.id]
    assert (again.status, again.handled_at, again.handled_by_id) == ("new", None, None)


def test_a_made_up_status_is_refused_with_a_swedish_message(client, login_as):
    client.post("/tillganglighet/rapportera-brist", data=REPORT)
    [report] = reports()
    login_as("admin")
    response = client.post(f"/admin/tillganglighet/{report.id}/status", data={"status": "deleted"})
    assert response.status_code == 302
    assert "Välj en status." in client.get("/admin/tillganglighet").get_data(as_text=True)
    assert reports()[0].status == "new"


def test_staff_cannot_mark_a_report_handled(client, login_as):
    client.post("/tillganglighet/rapportera-brist", data=REPORT)
    [report] = reports()
    login_as("staff")
    response = client.post(f"/admin/tillganglighet/{report.id}/status", data={"status": "handled"})
    assert response.status_code == 403
    assert reports()[0].status == "new"


def test_the_change_log_tells_in_swedish_who_handled_which_report(client, login_as):
    client.post("/tillganglighet/rapportera-brist", data=REPORT)
    [report] = reports()
    login_as("admin", name="Åsa Admin")
    client.post(f"/admin/tillganglighet/{report.id}/status", data={"status": "handled"})
    page = client.get("/admin/logg").get_data(as_text=True)
    sentence = "Status för den rapporterade bristen på /kalender ändrades från Ny till Hanterad."
    assert sentence in page
    assert "Åsa Admin" in page
