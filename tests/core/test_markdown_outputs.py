"""No Markdown mark reaches a text output: what people wrote in Markdown (news, progress
updates, report texts, event descriptions) reads as clean text in the plain-text emails, the
digests, the search snippets, the dashboard, the iCal and Atom feeds and the report's PDF."""

import re
from datetime import date
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from icalendar import Calendar
from markupsafe import Markup
from sqlalchemy import select

from portal.core.dates import utcnow
from portal.core.pdf import render_pdf
from portal.extensions import db
from portal.news.announce import fan_out_news
from portal.news.models import NewsItem
from portal.notifications import digests, preferences
from portal.notifications.models import OutboundEmail
from portal.projects.progress.updates import post_update
from portal.reports import delivery, services
from portal.reports.document import render_document
from portal.search.services import search
from tests.calendar.factories import make_event
from tests.calendar.test_feed import feed_path
from tests.factories import make_user
from tests.news.test_news import feed_address
from tests.pdfs import pdf_text
from tests.projects.factories import make_project
from tests.projects.funding_factories import make_funder_contact
from tests.reports.factories import bokstart_project, make_report

MARKDOWN = """# Rubrik

Vi hade **fet** läsning och __understruken__ glädje.

## Underrubrik

- första punkten
- andra punkten med [länken](https://example.se/las)
"""
WORDS = ("Rubrik", "fet", "understruken", "Underrubrik", "första punkten", "länken")


def assert_clean(text: str) -> None:
    for word in WORDS:
        assert word in text
    assert "**" not in text
    assert "__" not in text
    assert not re.search(r"(?m)^\s*#", text), text


def wants(frequency: str, **fields):
    user = make_user(**fields)
    preferences.save_frequencies(user, dict.fromkeys(preferences.KINDS, frequency))
    db.session.commit()
    return user


def text_emails_to(user) -> list[str]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(OutboundEmail.text_body).where(OutboundEmail.recipient == user.email)
        )
    )


def published_news() -> NewsItem:
    item = NewsItem(
        title="Läslust i länet",
        body=MARKDOWN,
        status="published",
        audience="everyone",
        publish_at=utcnow(),
    )
    db.session.add(item)
    db.session.commit()
    return item


def posted_update(*followers):
    author = make_user(name="Lena Ledare")
    project = make_project("Bokstart", lead=author, team=list(followers))
    post_update(author, project, reported_on=date.today(), text=MARKDOWN)
    db.session.commit()
    return project


def news_email(client, login_as) -> str:
    reader = wants("immediately")
    fan_out_news(published_news().id)
    (text,) = text_emails_to(reader)
    return text


def update_email(client, login_as) -> str:
    member = wants("immediately")
    posted_update(member)
    (text,) = text_emails_to(member)
    return text


def _digest_of(reader) -> str:
    assert digests.send_digest(reader.id, "daily") is not None
    (text,) = text_emails_to(reader)
    return text


def news_digest(client, login_as) -> str:
    reader = wants("daily")
    fan_out_news(published_news().id)
    return _digest_of(reader)


def update_digest(client, login_as) -> str:
    member = wants("daily")
    posted_update(member)
    return _digest_of(member)


def dashboard(client, login_as) -> str:
    member = login_as("member")
    posted_update(member)
    page = client.get("/").get_data(as_text=True)
    return page.split('id="updates-heading"')[1].split("</section>")[0]


def ical(client, login_as) -> str:
    make_event(title="Läsfest", description=MARKDOWN)
    login_as("member")
    calendar = Calendar.from_ical(client.get(feed_path(client)).data)
    (event,) = [e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == "Läsfest"]
    return str(event["DESCRIPTION"])


def atom_summary(client, login_as) -> str:
    published_news()
    login_as("member")
    feed = ElementTree.fromstring(client.get(urlsplit(feed_address(client)).path).data)
    (summary,) = feed.iter("{http://www.w3.org/2005/Atom}summary")
    return summary.text or ""


def _report_with_markdown():
    """Bokstart's report, with an update in Markdown drafted into it and the story about
    what was done rewritten in Markdown by the staff."""
    project = bokstart_project()
    post_update(project.lead, project, reported_on=date(2016, 4, 1), text=MARKDOWN)
    db.session.commit()
    return make_report(project)


def drafted_report_text(client, login_as) -> str:
    version = services.current_version(_report_with_markdown())
    (done,) = [section for section in version.sections if section.get("source") == "updates"]
    return done["text"]


def _approved_report_in_markdown():
    report = _report_with_markdown()
    version = services.current_version(report)
    texts = [
        MARKDOWN if section.get("source") == "updates" else section.get("text", "")
        for section in version.sections
    ]
    staff = make_user(role="staff")
    services.save_report(report, texts, staff)
    services.request_review(report, staff)
    services.approve(report, make_user(role="staff"))
    db.session.commit()
    return report


def report_pdf(client, login_as) -> str:
    report = _approved_report_in_markdown()
    text = pdf_text(render_pdf(render_document(report), title="Rapport"))
    assert "#" not in text  # pdf_text joins the lines, so no mark may stand anywhere
    return text


def report_email(client, login_as) -> str:
    report = _approved_report_in_markdown()
    make_funder_contact(report.grant.funder, name="Maria Lindqvist", email="maria@kr.example")
    delivery.send_report(report, make_user(role="staff"))
    db.session.commit()
    db.session.expire_all()
    (text,) = db.session.scalars(select(OutboundEmail.text_body))
    return text


OUTPUTS = [
    news_email,
    update_email,
    news_digest,
    update_digest,
    dashboard,
    ical,
    atom_summary,
    drafted_report_text,
    report_pdf,
    report_email,
]


@pytest.mark.parametrize("output", OUTPUTS, ids=[output.__name__ for output in OUTPUTS])
def test_markdown_reads_as_clean_text(client, login_as, output):
    assert_clean(output(client, login_as))


@pytest.mark.both_databases
def test_search_snippets_show_no_markdown_marks(app):
    reader = make_user()
    published_news()
    make_project("Läsfrämjande", description=MARKDOWN)

    with app.test_request_context():
        results = search(reader, "understruken", now=utcnow()).results

    assert {result.kind for result in results} >= {"news", "project"}
    for result in results:
        snippet = str(result.snippet).replace("<mark>", "").replace("</mark>", "")
        assert "understruken" in snippet
        assert "**" not in snippet and "__" not in snippet and "#" not in snippet
        assert isinstance(result.snippet, Markup)
