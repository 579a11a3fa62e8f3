"""Recurring progress reports: a draft after each month or quarter of a grant, waiting for
approval, never sent on its own; the project's lead is told."""

from datetime import date

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from portal.celery_app import daily_at
from portal.extensions import db
from portal.notifications.models import OutboundEmail
from portal.projects.models import FunderContact
from portal.reports import delivery, schedule, tasks
from portal.reports.builtins import add_builtin_templates
from portal.reports.models import Report, ReportTemplate
from portal.reports.services import NotAllowed
from tests.factories import make_organisation, make_user
from tests.projects.factories import make_project
from tests.projects.funding_factories import make_grant


def bokstart_grant(recurrence="quarterly", **fields):
    lead = make_user(role="staff", name="Erik Sjölund", email="erik@lansbiblioteket.example")
    project = make_project("Bokstart i hela länet", slug="bokstart-i-hela-lanet", lead=lead)
    fields.setdefault("period_starts_on", date(2016, 1, 1))
    fields.setdefault("period_ends_on", date(2016, 12, 31))
    grant = make_grant(
        project,
        funder=make_organisation("Kulturrådet", kind="funder"),
        report_recurrence=recurrence,
        **fields,
    )
    add_builtin_templates()  # as migration 0018 and the demo do
    db.session.commit()
    return grant


def reports() -> list[Report]:
    return db.session.scalars(select(Report).order_by(Report.id)).all()


@pytest.mark.parametrize(
    ("recurrence", "today", "period"),
    [
        ("monthly", date(2016, 3, 1), (date(2016, 2, 1), date(2016, 2, 29))),
        ("monthly", date(2016, 1, 15), (date(2015, 12, 1), date(2015, 12, 31))),
        ("quarterly", date(2016, 4, 1), (date(2016, 1, 1), date(2016, 3, 31))),
        ("quarterly", date(2016, 12, 30), (date(2016, 7, 1), date(2016, 9, 30))),
        ("quarterly", date(2017, 2, 10), (date(2016, 10, 1), date(2016, 12, 31))),
    ],
)
def test_the_period_is_the_last_whole_month_or_quarter(recurrence, today, period):
    assert schedule.period_before(recurrence, today) == period


def test_a_quarter_ending_draws_a_draft_for_that_quarter_and_tells_the_lead(app):
    grant = bokstart_grant("quarterly")
    (report,) = schedule.draft_recurring_reports(date(2016, 4, 1))
    assert (report.period_starts_on, report.period_ends_on) == (date(2016, 1, 1), date(2016, 3, 31))
    assert report.grant_id == grant.id
    assert report.state == "draft" and report.is_recurring and report.kind == "progress_report"
    assert report.versions and report.versions[0].author_id is None
    (email,) = db.session.scalars(select(OutboundEmail)).all()
    assert email.recipient == "erik@lansbiblioteket.example"
    assert "Bokstart i hela länet" in email.subject
    assert f"/projekt/bokstart-i-hela-lanet/rapporter/{report.id}" in email.text_body
    assert "skickas aldrig till finansiären utan att ha godkänts" in email.text_body


def test_a_second_run_for_the_same_period_drafts_nothing_new(app):
    bokstart_grant("monthly")
    assert len(schedule.draft_recurring_reports(date(2016, 3, 2))) == 1
    assert schedule.draft_recurring_reports(date(2016, 3, 20)) == []
    assert len(schedule.draft_recurring_reports(date(2016, 4, 1))) == 1
    assert [r.period_ends_on for r in reports()] == [date(2016, 2, 29), date(2016, 3, 31)]


def test_the_period_is_clipped_to_the_grant_and_nothing_comes_outside_it(app):
    bokstart_grant("quarterly", period_starts_on=date(2016, 2, 15))
    assert schedule.draft_recurring_reports(date(2016, 1, 20)) == []
    (report,) = schedule.draft_recurring_reports(date(2016, 4, 1))
    assert report.period_starts_on == date(2016, 2, 15)
    assert schedule.draft_recurring_reports(date(2017, 4, 1)) == []


def test_a_grant_without_recurrence_gets_no_draft(app):
    bokstart_grant("")
    assert schedule.draft_recurring_reports(date(2016, 4, 1)) == []
    assert reports() == []


def test_the_funders_own_template_is_used_when_it_has_one(app):
    grant = bokstart_grant("quarterly")
    own = db.session.scalar(select(ReportTemplate).where(ReportTemplate.name == "Kulturrådet"))
    own.funder_id = grant.funder_id
    (report,) = schedule.draft_recurring_reports(date(2016, 4, 1))
    assert report.template_id == own.id


def test_the_beat_task_drafts_commits_and_never_sends_the_report(app):
    bokstart_grant("quarterly")
    with freeze_time("2016-04-01 04:30:00"):  # 06:30 in Sweden
        assert tasks.draft_recurring_reports() == 1
    db.session.rollback()
    (report,) = reports()
    assert report.state == "draft" and report.sent_at is None
    assert report.deliveries == []
    recipients = db.session.scalars(select(OutboundEmail.recipient)).all()
    assert recipients == ["erik@lansbiblioteket.example"]


def test_the_beat_task_runs_daily_at_the_configured_swedish_time(app):
    entry = app.extensions["celery"].conf.beat_schedule["draft-recurring-reports"]
    assert entry["task"] == "portal.reports.tasks.draft_recurring_reports"
    assert entry["schedule"] == daily_at("06:30")


def test_a_recurring_draft_cannot_be_sent_before_it_is_approved(app):
    grant = bokstart_grant("quarterly")
    db.session.add(
        FunderContact(
            organisation=grant.funder, name="Handläggare", email="kur@kulturradet.example"
        )
    )
    (report,) = schedule.draft_recurring_reports(date(2016, 4, 1))
    db.session.commit()
    with pytest.raises(NotAllowed):
        delivery.send_report(report, make_user(role="staff"))
    db.session.rollback()
    recipients = db.session.scalars(select(OutboundEmail.recipient)).all()
    assert "kur@kulturradet.example" not in recipients
    assert db.session.get(Report, report.id).state == "draft"
