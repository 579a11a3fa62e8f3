"""Versions, review, four-eyes approval, and the sent report that never changes."""

from datetime import date

import pytest
from sqlalchemy import select

from portal.core.dates import utcnow
from portal.core.errors import PermissionDenied, ValidationError
from portal.extensions import db
from portal.projects.models import ProgressUpdate
from portal.reports import services
from portal.reports.models import Report, ReportDelivery, ReportVersion
from tests.factories import make_user
from tests.reports.factories import make_report


def texts(report):
    return [section["text"] for section in services.current_version(report).sections]


def edited(report, index, text):
    changed = texts(report)
    changed[index] = text
    return changed


def approved_report():
    author = make_user(role="staff", email="anna@lansbiblioteket.example")
    approver = make_user(role="staff", email="bo@lansbiblioteket.example")
    report = make_report(actor=author)
    services.request_review(report, author)
    services.approve(report, approver)
    db.session.commit()
    return report


def mark_sent(report):
    """What sending does: approved → sent with sent_at, and a delivery row, in one flush."""
    report.state = "sent"
    report.sent_at = utcnow()
    report.deliveries.append(
        ReportDelivery(recipient_name="Karin Handläggare", recipient_email="karin@kur.example")
    )
    db.session.commit()


def test_saving_keeps_the_previous_version(app):
    staff = make_user(role="staff")
    report = make_report(actor=staff)
    services.save_report(report, edited(report, 7, "Vi har lagt till Timrå."), staff)
    db.session.commit()
    assert [version.number for version in report.versions] == [1, 2]
    assert report.versions[0].sections[7]["text"] == ""
    assert report.versions[1].sections[7]["text"] == "Vi har lagt till Timrå."
    assert report.versions[1].sections[8]["data"] == report.versions[0].sections[8]["data"]


def test_saving_unchanged_texts_makes_no_new_version(app):
    staff = make_user(role="staff")
    report = make_report(actor=staff)
    services.save_report(report, texts(report), staff)
    assert len(report.versions) == 1


def test_change_to_an_approved_report_sends_it_back_to_draft(app):
    report = approved_report()
    services.save_report(report, edited(report, 7, "Ny mening."), make_user(role="staff"))
    db.session.commit()
    assert report.state == "draft"
    assert report.approved_by_id is None


def test_change_to_a_report_in_review_sends_it_back_to_draft(app):
    author = make_user(role="staff")
    report = make_report(actor=author)
    services.request_review(report, author)
    services.save_report(report, edited(report, 7, "Ny mening."), author)
    assert report.state == "draft"


def test_approving_your_own_report_is_refused_with_four_eyes_on(app):
    author = make_user(role="staff")
    report = make_report(actor=author)
    services.request_review(report, author)
    with pytest.raises(PermissionDenied) as refused:
        services.approve(report, author)
    assert "Fyra ögon" in str(refused.value.message)
    assert report.state == "in_review"


def test_the_author_of_the_latest_version_may_not_approve_either(app):
    asker = make_user(role="staff")
    writer = make_user(role="staff")
    report = make_report(actor=asker)
    services.save_report(report, edited(report, 7, "Skrivet av Bo."), writer)
    services.request_review(report, asker)
    with pytest.raises(PermissionDenied):
        services.approve(report, writer)


def test_with_four_eyes_off_you_may_approve_your_own_report(app):
    app.config["REPORT_FOUR_EYES"] = False
    author = make_user(role="staff")
    report = make_report(actor=author)
    services.request_review(report, author)
    services.approve(report, author)
    assert report.state == "approved"


def test_approval_records_who_and_when(app):
    report = approved_report()
    assert report.state == "approved"
    assert report.approved_by.email == "bo@lansbiblioteket.example"
    assert report.review_requested_by.email == "anna@lansbiblioteket.example"
    assert report.reviewer.email == "bo@lansbiblioteket.example"
    assert report.approved_at is not None and report.review_requested_at is not None


def test_a_member_on_the_team_cannot_approve(app):
    author = make_user(role="staff")
    report = make_report(actor=author)
    services.request_review(report, author)
    with pytest.raises(PermissionDenied):
        services.approve(report, make_user(role="member"))


def test_only_a_report_in_review_can_be_approved(app):
    report = make_report(actor=make_user(role="staff"))
    with pytest.raises(services.NotAllowed):
        services.approve(report, make_user(role="staff"))


def test_sent_report_is_refused_by_the_service(app):
    report = approved_report()
    mark_sent(report)
    with pytest.raises(services.NotAllowed) as refused:
        services.save_report(report, edited(report, 7, "Efteråt."), make_user(role="staff"))
    assert "skickad" in str(refused.value.message)
    with pytest.raises(services.NotAllowed):
        services.refresh_data(report, None)


def test_marking_an_approved_report_sent_is_allowed_once(app):
    report = approved_report()
    mark_sent(report)
    db.session.expire_all()
    stored = db.session.get(Report, report.id)
    assert stored.state == "sent"
    assert [d.recipient_email for d in stored.deliveries] == ["karin@kur.example"]


def test_database_guard_refuses_changing_a_sent_report(app):
    report = approved_report()
    mark_sent(report)
    report.period_ends_on = report.period_starts_on
    with pytest.raises(services.NotAllowed):
        db.session.flush()
    db.session.rollback()


def test_database_guard_refuses_changing_a_sent_version(app):
    report = approved_report()
    mark_sent(report)
    version = services.current_version(report)
    version.sections = [{**version.sections[0], "text": "Ändrat i smyg"}]
    with pytest.raises(services.NotAllowed):
        db.session.flush()
    db.session.rollback()
    db.session.expire_all()
    stored = db.session.scalar(select(ReportVersion).where(ReportVersion.report_id == report.id))
    assert stored.sections[0]["text"] != "Ändrat i smyg"


def test_database_guard_refuses_a_new_version_of_a_sent_report(app):
    report = approved_report()
    mark_sent(report)
    db.session.add(ReportVersion(report_id=report.id, number=9, sections=[]))
    with pytest.raises(services.NotAllowed):
        db.session.flush()
    db.session.rollback()


def test_database_guard_refuses_sending_a_draft(app):
    report = make_report(actor=make_user(role="staff"))
    report.state = "sent"
    report.sent_at = utcnow()
    with pytest.raises(services.NotAllowed):
        db.session.flush()
    db.session.rollback()


def test_a_new_delivery_row_for_a_sent_report_is_allowed(app):
    report = approved_report()
    mark_sent(report)
    db.session.add(
        ReportDelivery(report_id=report.id, recipient_name="Per", recipient_email="p@kur.example")
    )
    db.session.commit()
    assert len(db.session.get(Report, report.id).deliveries) == 2


def test_diff_shows_removed_and_added_lines_per_section(app):
    staff = make_user(role="staff")
    report = make_report(actor=staff)
    services.save_report(report, edited(report, 7, "Rad ett\nRad två"), staff)
    services.save_report(report, edited(report, 7, "Rad ett\nRad tre"), staff)
    first, second, third = report.versions
    diffs = services.diff_versions(second, third)
    changed = [diff for diff in diffs if diff.changed]
    assert [diff.title for diff in changed] == ["Förändringar jämfört med ansökan"]
    assert changed[0].lines == [(" ", "Rad ett"), ("-", "Rad två"), ("+", "Rad tre")]
    assert not any(diff.changed for diff in services.diff_versions(first, first))


def test_refreshing_data_keeps_typed_text_and_redrafts_untouched_text(app):

    staff = make_user(role="staff")
    report = make_report(actor=staff)
    services.save_report(report, edited(report, 7, "Egen text."), staff)
    db.session.add(
        ProgressUpdate(
            project=report.project,
            author=staff,
            reported_on=date(2016, 6, 1),
            text="Sen uppdatering i juni.",
        )
    )
    db.session.commit()
    version = services.refresh_data(report, staff)
    db.session.commit()
    assert version.number == 3
    assert "Sen uppdatering i juni." in version.sections[3]["text"]
    assert version.sections[7]["text"] == "Egen text."
    assert "Sen uppdatering" not in report.versions[1].sections[3]["text"]


@pytest.mark.parametrize(
    "reviewer_fields", [{"role": "member"}, {"role": "staff", "active": False}]
)
def test_a_reviewer_outside_the_active_staff_is_refused_beside_the_field(app, reviewer_fields):
    report = make_report()
    with pytest.raises(ValidationError) as refused:
        services.request_review(report, make_user(role="staff"), make_user(**reviewer_fields))
    assert refused.value.field == "reviewer_id"
    assert "Välj en granskare bland personalen." in str(refused.value.message)
    assert report.state == "draft"
