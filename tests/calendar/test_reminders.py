"""Deadline reminders: 14 and 3 days before and the day after a missed deadline, to the person
responsible (else the lead), never twice and never for what is done."""

from datetime import date, timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from portal.calendar import reminders, tasks
from portal.calendar.models import DeadlineReminder
from portal.celery_app import daily_at
from portal.extensions import db
from portal.notifications import preferences
from portal.notifications.models import DigestEntry, OutboundEmail
from tests.calendar.factories import make_milestone, make_report_deadline
from tests.factories import make_user
from tests.projects.factories import make_project

pytestmark = pytest.mark.both_databases

DUE = date(2027, 1, 20)


def emails() -> list[OutboundEmail]:
    return db.session.scalars(select(OutboundEmail).order_by(OutboundEmail.id)).all()


def bokstart(**fields):
    lead = make_user(role="staff", name="Erik Sjölund", email="erik@lansbiblioteket.example")
    return make_project("Bokstart i hela länet", slug="bokstart-i-hela-lanet", lead=lead, **fields)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (DUE - timedelta(days=15), None),
        (DUE - timedelta(days=14), 14),
        (DUE - timedelta(days=12), 14),  # beat was down two days: still sent
        (DUE - timedelta(days=11), None),  # too late for the 14-day one, too early for 3
        (DUE - timedelta(days=3), 3),
        (DUE - timedelta(days=1), 3),
        (DUE, None),
        (DUE + timedelta(days=1), -1),
        (DUE + timedelta(days=3), -1),
        (DUE + timedelta(days=4), None),  # a deadline missed long ago is left alone
    ],
)
def test_which_reminder_is_due_on_a_day(today, expected):
    assert reminders.due_reminder(DUE, today, [14, 3, -1]) == expected


def test_reminder_days_are_read_from_the_setting():
    assert reminders.reminder_days("14,3") == [14, 3, -1]
    assert reminders.reminder_days(" 3, 30 ,7") == [30, 7, 3, -1]
    with pytest.raises(ValueError):
        reminders.reminder_days("14,-2")


def test_the_responsible_person_gets_a_reminder_14_days_before(app):
    karin = make_user(name="Karin Holm", email="karin@kramfors.example")
    milestone = make_milestone(bokstart(), DUE, title="Bokpaket till Ånge", responsible=karin)
    assert reminders.send_due_reminders(DUE - timedelta(days=14)) == 1
    db.session.commit()
    (email,) = emails()
    assert email.recipient == "karin@kramfors.example"
    assert email.template == "deadline_reminder"
    assert email.subject == "Påminnelse: Milstolpe: Bokpaket till Ånge senast 2027-01-20"
    assert "Hej Karin Holm!" in email.text_body
    assert "om 14 dagar" in email.text_body
    assert "http://portal.test/projekt/bokstart-i-hela-lanet" in email.text_body
    reminder = db.session.scalar(select(DeadlineReminder))
    assert (reminder.milestone_id, reminder.days_before) == (milestone.id, 14)


def test_without_a_responsible_person_the_lead_is_reminded(app):
    make_milestone(bokstart(), DUE)
    reminders.send_due_reminders(DUE - timedelta(days=3))
    (email,) = emails()
    assert email.recipient == "erik@lansbiblioteket.example"
    assert "om 3 dagar" in email.text_body


def test_the_lead_is_reminded_of_a_grant_report(app):
    make_report_deadline(bokstart(), DUE, case_number="KUR 2026/4711")
    reminders.send_due_reminders(DUE - timedelta(days=14))
    (email,) = emails()
    assert email.recipient == "erik@lansbiblioteket.example"
    assert email.subject == "Påminnelse: Lägesrapport (KUR 2026/4711) senast 2027-01-20"


def test_a_missed_deadline_is_reminded_of_the_day_after(app):
    make_milestone(bokstart(), DUE, title="Bokpaket till Ånge")
    reminders.send_due_reminders(DUE + timedelta(days=1))
    (email,) = emails()
    assert (
        email.subject == "Försenad: Milstolpe: Bokpaket till Ånge skulle ha varit klar 2027-01-20"
    )
    assert "är inte markerad som klar" in email.text_body


def test_reminders_come_14_and_3_days_before_and_the_day_after_and_never_twice(app):
    make_milestone(bokstart(), DUE)
    sent_on = {}
    day = DUE - timedelta(days=20)
    while day <= DUE + timedelta(days=10):
        sent_on[day] = reminders.send_due_reminders(day)
        db.session.commit()
        sent_on[day] += reminders.send_due_reminders(day)  # a second run the same day
        db.session.commit()
        day += timedelta(days=1)
    assert [day for day, count in sent_on.items() if count] == [
        DUE - timedelta(days=14),
        DUE - timedelta(days=3),
        DUE + timedelta(days=1),
    ]
    assert all(count == 1 for count in sent_on.values() if count)
    assert len(emails()) == 3


def test_a_done_milestone_or_submitted_report_gets_no_more_reminders(app):
    project = bokstart()
    milestone = make_milestone(project, DUE)
    report = make_report_deadline(project, DUE)
    assert reminders.send_due_reminders(DUE - timedelta(days=14)) == 2
    milestone.done_on = DUE - timedelta(days=5)
    report.submitted_on = DUE - timedelta(days=5)
    db.session.commit()
    assert reminders.send_due_reminders(DUE - timedelta(days=3)) == 0
    assert reminders.send_due_reminders(DUE + timedelta(days=1)) == 0
    assert len(emails()) == 2


def test_a_moved_deadline_is_reminded_of_again(app):
    milestone = make_milestone(bokstart(), DUE)
    reminders.send_due_reminders(DUE - timedelta(days=3))
    milestone.due_on = DUE + timedelta(days=7)
    db.session.commit()
    assert reminders.send_due_reminders(DUE + timedelta(days=4)) == 1
    assert len(emails()) == 2


def test_an_inactive_responsible_person_or_no_lead_gets_nothing(app):
    gone = make_user(active=False)
    make_milestone(bokstart(), DUE, responsible=gone)
    make_milestone(make_project(lead=None), DUE)
    assert reminders.send_due_reminders(DUE - timedelta(days=14)) == 0
    assert emails() == []


def test_a_reminder_is_written_in_the_recipients_language(app):
    anna = make_user(name="Anna Berg", language="en")
    make_milestone(bokstart(), DUE, title="Bokpaket till Ånge", responsible=anna)
    reminders.send_due_reminders(DUE - timedelta(days=3))
    (email,) = emails()
    assert email.subject == "Reminder: Milestone: Bokpaket till Ånge due 2027-01-20"
    assert "Hello Anna Berg," in email.text_body
    assert "in 3 days" in email.text_body


def test_the_days_are_configurable(app):
    app.config["DEADLINE_REMINDER_DAYS"] = "7"
    make_milestone(bokstart(), DUE)
    assert reminders.send_due_reminders(DUE - timedelta(days=14)) == 0
    assert reminders.send_due_reminders(DUE - timedelta(days=7)) == 1


def test_the_beat_task_queues_the_days_reminders_and_commits(app):
    make_milestone(bokstart(), DUE)
    with freeze_time("2027-01-06 06:00:00"):  # 07:00 in Sweden, 14 days before
        assert tasks.send_deadline_reminders() == 1
        assert tasks.send_deadline_reminders() == 0
    db.session.rollback()
    assert len(emails()) == 1
    assert db.session.scalar(select(DeadlineReminder.days_before)) == 14


def test_the_beat_task_runs_daily_at_the_configured_swedish_time(app):
    schedule = app.extensions["celery"].conf.beat_schedule["send-deadline-reminders"]
    assert schedule["task"] == "portal.calendar.tasks.send_deadline_reminders"
    assert schedule["schedule"] == daily_at("07:00")
    assert daily_at("18:30").hour == {18} and daily_at("18:30").minute == {30}
    with pytest.raises(ValueError):
        daily_at("kl. 7")


def test_a_reminder_email_offers_one_click_unsubscribe_from_deadline_emails(app):
    karin = make_user(name="Karin Holm", email="karin@kramfors.example")
    make_milestone(bokstart(), DUE, title="Bokpaket till Ånge", responsible=karin)
    reminders.send_due_reminders(DUE - timedelta(days=3))
    (email,) = emails()
    assert email.list_unsubscribe and "/avregistrera/" in email.list_unsubscribe
    assert email.list_unsubscribe in email.text_body
    assert "mejl om deadlines och påminnelser?" in email.text_body


def test_someone_who_wants_deadlines_in_the_daily_digest_gets_no_email_now(app):
    karin = make_user(name="Karin Holm", email="karin@kramfors.example")
    preferences.save_frequencies(karin, {"deadlines": "daily"})
    make_milestone(bokstart(), DUE, title="Bokpaket till Ånge", responsible=karin)
    reminders.send_due_reminders(DUE - timedelta(days=3))
    db.session.commit()
    assert emails() == []
    (entry,) = db.session.scalars(select(DigestEntry)).all()
    assert (entry.user_id, entry.kind, entry.frequency) == (karin.id, "deadlines", "daily")
    assert "Bokpaket till Ånge" in entry.title


def test_someone_who_switched_deadline_emails_off_is_not_reminded_again_later(app):
    karin = make_user(name="Karin Holm", email="karin@kramfors.example")
    preferences.save_frequencies(karin, {"deadlines": "off"})
    make_milestone(bokstart(), DUE, title="Bokpaket till Ånge", responsible=karin)
    reminders.send_due_reminders(DUE - timedelta(days=3))
    reminders.send_due_reminders(DUE - timedelta(days=2))
    db.session.commit()
    assert emails() == []
    assert db.session.scalars(select(DigestEntry)).all() == []
