"""Role × route: every endpoint in app.url_map, each method, for anonymous, member, staff, admin.

The expected outcomes live in tests/access_table.py. Each request runs in its own application
context, as in production, so who is logged in comes from the session cookie alone.
"""

import io
import re
import tempfile
import uuid
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import url_for
from sqlalchemy import select

from portal import create_app
from portal.accessibility.models import BarrierReport
from portal.accounts import feeds, tokens
from portal.accounts.api_tokens import services as api_token_services
from portal.accounts.api_tokens.models import ApiToken
from portal.accounts.models import Invitation, Organisation, Passkey, User
from portal.calendar.models import Event
from portal.core.dates import utcnow
from portal.documents import recycle_bin
from portal.documents import services as document_services
from portal.documents.models import DocumentFolder
from portal.extensions import db
from portal.news.models import NewsComment, NewsItem
from portal.notifications import preferences
from portal.notifications.models import OutboundEmail
from portal.projects.models import Indicator, Measurement, Milestone, Project
from portal.reports.models import Report
from tests.access_table import ACCESS, DENIED, LOGIN, OK, ROLES, UNAUTHORIZED, Sample
from tests.documents.factories import make_document, plan_pdf
from tests.factories import (
    PASSWORD,
    give_totp,
    make_invitation_token,
    make_organisation,
    make_user,
    totp_code,
)
from tests.projects import factories as project_factories
from tests.projects import funding_factories
from tests.reports import access_samples as report_samples
from tests.reports import delivery_factories

IGNORED_METHODS = {"HEAD", "OPTIONS"}


def served_routes(app) -> list[tuple[str, str, str]]:
    """(endpoint, method, rule) for every route the app serves, `static` aside."""
    return sorted(
        (rule.endpoint, method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - IGNORED_METHODS
    )


def missing_from_table(app) -> list[str]:
    return [
        f"{endpoint} {method} {path}"
        for endpoint, method, path in served_routes(app)
        if endpoint not in ACCESS or method not in ACCESS[endpoint].methods
    ]


_ROUTES = served_routes(create_app("testing", {"INSTANCE_DIR": tempfile.gettempdir()}))


def refused_posts() -> list[tuple[str, str]]:
    """(endpoint, role) for every state-changing POST a role is refused."""
    return [
        (endpoint, role)
        for endpoint, route in ACCESS.items()
        if "POST" in route.methods and route.methods["POST"].writes
        for role in ROLES
        if route.methods["POST"].expected[role] != OK
    ]


def _make_failed_email() -> int:
    row = OutboundEmail(
        recipient="karin@kramfors.example",
        subject="Inbjudan till portalen",
        template="invitation",
        text_body="Hej",
        html_body="<p>Hej</p>",
        message_id=f"<{uuid.uuid4().hex}@portal.test>",
        status="failed",
        attempts=8,
        last_error="550 mailbox unavailable",
    )
    db.session.add(row)
    db.session.commit()
    return row.id


def _make_invitation_token() -> str:
    return make_invitation_token("inbjuden@timra.example", "Ida Inbjuden")


def _make_reset_token() -> str:
    user = make_user(email="glomsk@solleftea.example")
    return tokens.make_reset_token(user.id, user.password_hash)


def _passkey() -> Passkey:
    """Someone else's passkey."""
    passkey = Passkey(
        user=make_user(email="passkey@harnosand.example"),
        credential_id="c2FtcGxlLXBhc3NrZXk",
        public_key=b"not a real key",
        user_handle="c2FtcGxlLWhhbmRsZQ",
        name="Jobbdatorn",
    )
    db.session.add(passkey)
    db.session.commit()
    return passkey


def _api_token() -> int:
    """Someone else's personal access token."""
    api_token_services.create_token(
        make_user(email="api@harnosand.example"), "Skript", date.today() + timedelta(days=30)
    )
    db.session.commit()
    return db.session.scalar(select(ApiToken.id))


def _core_project():
    """The project core's sample: one project with one participant, made once per request."""
    project = db.session.scalar(select(Project).where(Project.slug == "provprojekt"))
    if project is None:
        project = project_factories.make_project(
            "Provprojekt", slug="provprojekt", participants=[make_organisation("Timrå bibliotek")]
        )
    return project


def _progress_project():
    """The progress sample: a project with one milestone and one indicator."""
    project = db.session.scalar(select(Project).where(Project.slug == "framstegsprojekt"))
    if project is None:
        project = project_factories.make_project("Framstegsprojekt", slug="framstegsprojekt")
        project.milestones.append(Milestone(title="Start", due_on=date(2016, 3, 1)))
        project.indicators.append(
            Indicator(
                name="Besök",
                unit="besök",
                measurements=[Measurement(measured_on=date(2016, 4, 1), value=Decimal(12))],
            )
        )
        db.session.commit()
    return project


def _feed_token() -> str:
    """A feed address of someone else's, with the sample news item in it."""
    _published_news()
    token = feeds.renew_feed(make_user(email="flode@ange.example"), "news")
    db.session.commit()
    return token


def _calendar_feed_token() -> str:
    """A calendar feed address of someone else's, with the sample event in it."""
    _event()
    token = feeds.renew_feed(make_user(email="kalender@ange.example"), "calendar")
    db.session.commit()
    return token


def _event() -> Event:
    event = Event(
        title="Littfest i Umeå",
        starts_at=utcnow() + timedelta(days=20),
        ends_at=utcnow() + timedelta(days=20, hours=6),
        audience="everyone",
    )
    db.session.add(event)
    db.session.commit()
    return event


def _comment():
    """A comment by someone else on the sample news item."""
    item = db.session.scalar(select(NewsItem).where(NewsItem.title == "Littfest i Umeå"))
    comment = NewsComment(
        news=item or _published_news(),
        author=make_user(email="kommentar@timra.example"),
        body="Vi kommer!",
    )
    db.session.add(comment)
    db.session.commit()
    return comment


def _published_news():
    item = NewsItem(
        title="Littfest i Umeå",
        body="Länsbiblioteket åker.",
        status="published",
        publish_at=utcnow(),
        audience="everyone",
    )
    db.session.add(item)
    db.session.commit()
    return item


def _document_author():
    author = db.session.scalar(select(User).where(User.email == "dokument@lansbiblioteket.example"))
    return author or make_user(role="staff", email="dokument@lansbiblioteket.example")


def _document_folder() -> int:
    """An empty folder with a sibling after it, so it can move down."""
    folder = DocumentFolder(name="Styrdokument", position=1)
    db.session.add_all([folder, DocumentFolder(name="Protokoll", position=2)])
    db.session.commit()
    return folder.id


def _versioned_document() -> int:
    document = make_document(_document_author(), "Plan med två versioner")
    document_services.upload_version(
        _document_author(), document, document_services.Upload(io.BytesIO(plan_pdf()), "v2.pdf")
    )
    db.session.commit()
    return document.id


def _binned_document() -> int:
    document = make_document(_document_author(), "Borttagen plan")
    recycle_bin.delete_document(_document_author(), document)
    db.session.commit()
    return document.id


def _funder():
    """Kulturrådet, a funder organisation, made once per request."""
    funder = db.session.scalar(select(Organisation).where(Organisation.name == "Kulturrådet"))
    return funder or make_organisation("Kulturrådet", kind="funder")


def _barrier_report() -> int:
    report = BarrierReport(page="/kalender", description="Kalendern går inte att förstora.")
    db.session.add(report)
    db.session.commit()
    return report.id


def _sendable_report():
    """An approved report whose funder has contacts, made once per request."""
    report = db.session.scalar(
        select(Report).join(Project).where(Project.slug == "bokstart-vasternorrland")
    )
    return report or delivery_factories.approved_report()


SAMPLE_MAKERS = {
    "plan_period": lambda: (
        project_factories.make_plan_period("Regional biblioteksplan 2012–2014").id
    ),
    "empty_goal_area": lambda: project_factories.make_goal_area("Läsfrämjande för vuxna").id,
    "target_group": lambda: project_factories.make_target_group("Nyanlända").id,
    "user": lambda: make_user(email="provperson@ange.example", name="Greta Provsson").id,
    "user_with_second_factor": lambda: give_totp(make_user(email="app@ange.example")).id,
    "organisation": lambda: make_organisation("Kramfors bibliotek").id,
    "failed_email": _make_failed_email,
    "invitation_token": _make_invitation_token,
    "reset_token": _make_reset_token,
    "passkey": lambda: _passkey().id,
    "api_token": _api_token,
    "funded_project_slug": lambda: funding_factories.funded_project().slug,
    "grant": lambda: funding_factories.funded_project().grants[0].id,
    "grant_choice": lambda: f"grant:{funding_factories.funded_project().grants[0].id}",
    "unused_grant": lambda: funding_factories.make_grant(funding_factories.funded_project()).id,
    "contribution": lambda: funding_factories.funded_project().contributions[0].id,
    "unused_contribution": lambda: (
        funding_factories.make_contribution(funding_factories.funded_project()).id
    ),
    "budget_line": lambda: funding_factories.funded_project().budget_lines[0].id,
    "expense": lambda: funding_factories.funded_project().budget_lines[0].expenses[0].id,
    "core_project_slug": lambda: _core_project().slug,
    "core_participant": lambda: _core_project().participants[0].id,
    "goal_area": lambda: project_factories.make_goal_area("Demokrati och delaktighet").id,
    "progress_project_slug": lambda: _progress_project().slug,
    "milestone": lambda: _progress_project().milestones[0].id,
    "indicator": lambda: _progress_project().indicators[0].id,
    "measurement": lambda: _progress_project().indicators[0].measurements[0].id,
    "news": lambda: _published_news().id,
    "comment": lambda: _comment().id,
    "feed_token": lambda: _feed_token(),
    "event": lambda: _event().id,
    "calendar_feed_token": _calendar_feed_token,
    "document_folder": _document_folder,
    "document": lambda: make_document(_document_author()).id,
    "versioned_document": _versioned_document,
    "binned_document": _binned_document,
    "pdf_upload": lambda: (io.BytesIO(plan_pdf()), "plan.pdf"),
    "unsubscribe_token": lambda: preferences.unsubscribe_token(
        make_user(email="avregistrera@harnosand.example").id, ["news"]
    ),
    # Funders and their contacts.
    "funder": lambda: _funder().id,
    "funder_contact": lambda: funding_factories.make_funder_contact(_funder()).id,
    # Sending a report.
    "sendable_report_slug": lambda: _sendable_report().project.slug,
    "sendable_report": lambda: _sendable_report().id,
    # Accessibility.
    "barrier_report": _barrier_report,
}

# Reports to funders.
SAMPLE_MAKERS.update(report_samples.SAMPLE_MAKERS)


def resolve(values: dict, made: dict) -> dict:
    """Replace each Sample by a row made now; the same kind is made once per request."""
    resolved = {}
    for key, value in values.items():
        if isinstance(value, Sample):
            if value.kind not in made:
                made[value.kind] = SAMPLE_MAKERS[value.kind]()
            value = made[value.kind]
        resolved[key] = value
    return resolved


def prepare(app, login_as, endpoint: str, method: str, role: str):
    """Make the samples, log in as the role; returns (path, form data)."""
    route = ACCESS[endpoint]
    made: dict = {}
    url_values = resolve(route.url_values, made)
    form = resolve(route.methods[method].form, made)
    with app.test_request_context():
        path = url_for(endpoint, **url_values)
    if role != "anonymous":
        login_as(role)
    return path, form


def send(app, client, method: str, path: str, form: dict):
    """One request in its own application context, as in production."""
    with app.app_context():
        return client.open(path, method=method, data=form)


def outcome(response, path: str) -> str:
    if response.status_code == 403:
        return DENIED
    if response.status_code == 401:
        return UNAUTHORIZED
    if response.status_code in (301, 302, 303):
        location = urlsplit(response.headers["Location"])
        if location.path == "/logga-in" and parse_qs(location.query).get("next") == [path]:
            return LOGIN
        return OK
    if response.status_code == 200:
        return OK
    return f"HTTP {response.status_code}"


def commits_while(action) -> bool:
    """Whether anything was committed to the database while `action` ran, by SQLite's
    `data_version`, which another connection's commit changes (a refused request must commit
    nothing, not even a row put back as it was). One pragma before and after, instead of
    reading every table twice."""
    watcher = db.engine.raw_connection()
    try:
        before = watcher.execute("PRAGMA data_version").fetchone()[0]
        action()
        return watcher.execute("PRAGMA data_version").fetchone()[0] != before
    finally:
        watcher.close()


def access_cases() -> list[tuple[str, str, str, str, str]]:
    """(database, endpoint, method, path, role): every route for every role on SQLite; on
    PostgreSQL every page as the admin sees it, enough to run each page's queries there. Who
    may do what does not depend on the database."""
    cases = [("sqlite", *route, role) for route in _ROUTES for role in ROLES]
    cases += [("postgresql", *route, "admin") for route in _ROUTES if route[1] == "GET"]
    return cases


@pytest.mark.parametrize(
    ("database_url", "endpoint", "method", "path", "role"),
    access_cases(),
    indirect=["database_url"],
)
def test_each_role_gets_what_the_access_table_says(
    app, client, login_as, endpoint, method, path, role
):
    if endpoint not in ACCESS or method not in ACCESS[endpoint].methods:
        pytest.fail(
            f"{endpoint} ({method} {path}) is not in tests/access_table.py: "
            "add the outcome for anonymous, member, staff and admin"
        )
    url, form = prepare(app, login_as, endpoint, method, role)
    response = send(app, client, method, url, form)
    expected = ACCESS[endpoint].methods[method].expected[role]
    assert outcome(response, url) == expected, (
        f"{role} {method} {url}: HTTP {response.status_code} "
        f"{response.headers.get('Location', '')}, expected {expected}"
    )


@pytest.mark.commits  # SQLite's data_version counts only real commits
@pytest.mark.parametrize(("endpoint", "role"), refused_posts())
def test_refused_post_changes_nothing_in_the_database(app, client, login_as, endpoint, role):
    url, form = prepare(app, login_as, endpoint, "POST", role)
    db.session.commit()
    assert not commits_while(lambda: send(app, client, "POST", url, form))


def posts_some_role_may_send() -> list[str]:
    """Refused POSTs that some role may send. A route only a row's author may use (editing
    a comment) has its control in its feature's tests, where the author is at hand."""
    return sorted(
        {
            endpoint
            for endpoint, _ in refused_posts()
            if OK in ACCESS[endpoint].methods["POST"].expected.values()
        }
    )


@pytest.mark.commits  # SQLite's data_version counts only real commits
@pytest.mark.parametrize("endpoint", posts_some_role_may_send())
def test_allowed_role_changes_the_database_with_the_same_post(app, client, login_as, endpoint):
    """The control for the test above: the table's form really does change something."""
    expected = ACCESS[endpoint].methods["POST"].expected
    role = next(role for role in ROLES if expected[role] == OK)
    url, form = prepare(app, login_as, endpoint, "POST", role)
    db.session.commit()
    responses = []
    assert commits_while(lambda: responses.append(send(app, client, "POST", url, form)))
    assert responses[0].status_code == 302


def test_forbidden_page_is_the_swedish_one(app, client, login_as):
    login_as("member")
    response = send(app, client, "GET", "/admin/anvandare", {})
    assert response.status_code == 403
    assert "<h1>Du har inte behörighet</h1>" in response.get_data(as_text=True)


@pytest.mark.own_app
def test_a_route_missing_from_the_table_is_named(app):
    @app.route("/hemlig-sida", methods=["GET", "POST"])
    def secret_page():
        return "hemligt"

    assert missing_from_table(app) == [
        "secret_page GET /hemlig-sida",
        "secret_page POST /hemlig-sida",
    ]


def test_every_route_in_the_table_exists(app):
    served = {(endpoint, method) for endpoint, method, _ in served_routes(app)}
    listed = {(endpoint, method) for endpoint, route in ACCESS.items() for method in route.methods}
    assert listed - served == set()


def csrf_token_from(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def log_in_with_token(app, client, user) -> None:
    page = send(app, client, "GET", "/logga-in", {}).get_data(as_text=True)
    form = {"email": user.email, "password": PASSWORD, "csrf_token": csrf_token_from(page)}
    response = send(app, client, "POST", "/logga-in", form)
    assert response.status_code == 302
    if response.headers["Location"] == "/logga-in/kod":
        page = send(app, client, "GET", "/logga-in/kod", {}).get_data(as_text=True)
        form = {"code": totp_code(), "csrf_token": csrf_token_from(page)}
        assert send(app, client, "POST", "/logga-in/kod", form).status_code == 302


def test_invitation_without_csrf_token_gets_400_and_no_invitation(csrf_app, client):
    log_in_with_token(csrf_app, client, give_totp(make_user(role="admin")))
    kramfors = make_organisation("Kramfors bibliotek")
    form = {
        "email": "ny.bibliotekarie@kramfors.example",
        "name": "Nils Berg",
        "organisation_id": kramfors.id,
        "role": "member",
    }
    response = send(csrf_app, client, "POST", "/admin/anvandare/bjud-in", form)
    assert response.status_code == 400
    assert "<h1>Felaktig begäran</h1>" in response.get_data(as_text=True)
    assert db.session.scalar(select(Invitation)) is None


def test_invitation_with_csrf_token_is_accepted(csrf_app, client):
    """The control for the test above: the same form with its token goes through."""
    log_in_with_token(csrf_app, client, give_totp(make_user(role="admin")))
    kramfors = make_organisation("Kramfors bibliotek")
    page = send(csrf_app, client, "GET", "/admin/anvandare/bjud-in", {}).get_data(as_text=True)
    form = {
        "email": "ny.bibliotekarie@kramfors.example",
        "name": "Nils Berg",
        "organisation_id": kramfors.id,
        "role": "member",
        "csrf_token": csrf_token_from(page),
    }
    response = send(csrf_app, client, "POST", "/admin/anvandare/bjud-in", form)
    assert response.status_code == 302
    assert db.session.scalar(select(Invitation)).email == "ny.bibliotekarie@kramfors.example"


def test_logout_without_csrf_token_gets_400_and_keeps_the_session(csrf_app, client):
    log_in_with_token(csrf_app, client, make_user())
    assert send(csrf_app, client, "POST", "/logga-ut", {}).status_code == 400
    assert send(csrf_app, client, "GET", "/profil", {}).status_code == 200
