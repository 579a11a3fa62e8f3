"""A person with a row of every kind the portal keeps about people, and a colleague with rows of
their own, for the export and erasure tests."""

from dataclasses import dataclass
from datetime import date, timedelta

from portal.accessibility.models import BarrierReport
from portal.accounts import feeds
from portal.accounts import services as account_services
from portal.accounts.api_tokens.models import ApiToken
from portal.accounts.mfa.models import RecoveryCode, TotpFactor
from portal.accounts.models import Invitation, Passkey, User
from portal.accounts.sso.models import ExternalIdentity
from portal.calendar.models import Event
from portal.core.dates import utcnow
from portal.documents.models import Document
from portal.extensions import db
from portal.news.models import NewsComment, NewsItem
from portal.notifications import preferences
from portal.notifications.models import DigestEntry
from portal.projects.models import ProgressUpdate, Project
from portal.reports.models import Report
from tests.documents.factories import make_document, plan_pdf
from tests.factories import make_organisation, make_user
from tests.notifications.factories import queue_reset_email
from tests.reports.factories import bokstart_project, make_report

# Non-ASCII on purpose: JSON may store it as \u escapes, HTML as entities.
NAME = "Åsa Öberg-Lind"
EMAIL = "asa.oberg-lind@harnosand.example"
PHONE = "0611-34 80 12"
OTHER_NAME = "Nils Nilsson"
OTHER_EMAIL = "nils@timra.example"


@dataclass
class Person:
    user: User
    project: Project
    news: NewsItem
    comment: NewsComment
    update: ProgressUpdate
    report: Report
    document: Document
    event: Event


def make_person(admin: User | None = None) -> Person:
    """Åsa, staff at Härnösand's library, who has done a bit of everything: logged in, opened
    a feed, chosen her emails, led Bokstart, written news, a comment, an update, a report and a
    calendar event, uploaded a document, been emailed, named in others' emails and digests, and
    been logged out everywhere by an admin."""
    organisation = make_organisation("Härnösands bibliotek", contact_email=EMAIL)
    user = make_user(
        role="staff",
        organisation=organisation,
        email=EMAIL,
        name=NAME,
        phone=PHONE,
        title="Bibliotekarie",
    )
    account_services.open_session(user, "asas-session", "Firefox på Linux", "192.0.2.17")
    feeds.renew_feed(user, "calendar")
    preferences.save_frequencies(user, {"news": "off"})
    db.session.add(
        DigestEntry(
            user_id=user.id,
            kind="news",
            frequency="daily",
            title="Nytt i Bokstart",
            summary="En nyhet för Åsa",
            link="http://portal.test/nyheter/1",
        )
    )
    db.session.add(TotpFactor(user_id=user.id, secret="ASASHEMLIGANYCKEL", confirmed_at=utcnow()))
    db.session.add(
        BarrierReport(
            page="/projekt",
            description=f"Filtret går inte att nå med tangentbordet. Hälsningar {NAME}",
            contact_name=NAME,
            contact_email=EMAIL,
        )
    )
    db.session.add(RecoveryCode(user_id=user.id, code_hash="asas-kodhash"))
    db.session.add(
        ApiToken(
            user_id=user.id,
            name="Statistikskript",
            token_hash="b" * 64,
            hint="lbp_asas",
            expires_at=utcnow() + timedelta(days=30),
        )
    )
    db.session.add(
        Passkey(
            user_id=user.id,
            credential_id="asas-passkey",
            public_key=b"public-key",
            transports="internal",
            user_handle="asas-handle",
            name="Åsas jobbdator",
        )
    )
    db.session.add(
        ExternalIdentity(
            user_id=user.id, issuer="https://login.timra.example/v2.0", subject="asas-sub"
        )
    )
    db.session.add(
        Invitation(
            email=EMAIL,
            name=NAME,
            role="staff",
            token_hash="a" * 64,
            expires_at=utcnow() - timedelta(days=30),
            accepted_at=utcnow() - timedelta(days=35),
        )
    )
    project = bokstart_project(lead=user)
    project.followers.append(user)
    news = NewsItem(
        title="Bokstart når hela länet",
        body="Nu är alla sju kommuner med.",
        author=user,
        status="published",
        publish_at=utcnow() - timedelta(days=1),
        audience="everyone",
    )
    comment = NewsComment(news=news, author=user, body="Vilken fin start!")
    update = ProgressUpdate(
        project=project,
        author=user,
        reported_on=date(2016, 3, 1),
        text="Första boklådorna är utdelade.",
    )
    event = Event(
        title="Bokstartsträff i Härnösand",
        starts_at=utcnow() + timedelta(days=10),
        ends_at=utcnow() + timedelta(days=10, hours=2),
        audience="everyone",
        author=user,
    )
    db.session.add_all([news, comment, update, event])
    db.session.commit()
    report = make_report(project, actor=user)
    document = make_document(
        user, title="Verksamhetsplan Bokstart", data=plan_pdf("Bokstart", "Härnösand")
    )
    queue_reset_email(EMAIL, name=NAME)
    # The portal copies her name into what others receive.
    queue_reset_email(OTHER_EMAIL, name=f"{OTHER_NAME}, hälsningar från {NAME}")
    db.session.add(
        DigestEntry(
            user_id=make_user(email="kollega@solleftea.example").id,
            kind="news",
            frequency="weekly",
            title=f"{NAME} skrev en nyhet",
            summary=f"Kontakta {NAME} på {EMAIL} eller {PHONE}.",
            link="http://portal.test/nyheter/1",
        )
    )
    db.session.commit()
    if admin is not None:
        account_services.log_out_everywhere(admin, user)
        db.session.commit()
    return Person(user, project, news, comment, update, report, document, event)


def make_other_person() -> User:
    """Nils at Timrå, with news, a comment, a document and an email of his own."""
    other = make_user(role="staff", email=OTHER_EMAIL, name=OTHER_NAME)
    news = NewsItem(
        title="Nils nyhet om Timrå",
        body="Timrå öppnar meröppet.",
        author=other,
        status="published",
        publish_at=utcnow() - timedelta(days=2),
        audience="everyone",
    )
    db.session.add_all([news, NewsComment(news=news, author=other, body="Nils kommenterar")])
    db.session.commit()
    make_document(other, title="Nils protokoll", filename="nils-protokoll.pdf")
    queue_reset_email(OTHER_EMAIL, name=OTHER_NAME)
    return other
