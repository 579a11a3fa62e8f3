"""The two commands: `portal demo` and `portal create-admin`."""

import re
from datetime import date

import pyotp
import pytest
from sqlalchemy import func, select

from portal.accounts.models import Organisation, User
from portal.demo.accounts import demo_users
from portal.extensions import db
from portal.projects.models import GoalArea, PlanPeriod, Project, TargetGroup
from tests.factories import make_user

MUNICIPAL_LIBRARIES = {
    "Härnösand",
    "Kramfors",
    "Sollefteå",
    "Sundsvall",
    "Timrå",
    "Ånge",
    "Örnsköldsvik",
}
ADMIN_PASSWORD = "norrsken-över-skuleskogen-i-mars"


@pytest.fixture
def portal(app):
    """Run `flask portal <args>`; returns the click result."""
    runner = app.test_cli_runner()

    def run(*args):
        result = runner.invoke(args=["portal", *args])
        db.session.expire_all()
        return result

    return run


def log_in(app, email: str, password: str, key: str | None = None, client=None):
    """The login form's password step, and with `key` its second step with the app's code."""
    with app.app_context():
        client = client or app.test_client()
        response = client.post("/logga-in", data={"email": email, "password": password})
        if key and response.headers.get("Location") == "/logga-in/kod":
            response = client.post("/logga-in/kod", data={"code": pyotp.TOTP(key).now()})
        return response


def demo_key(email: str) -> str | None:
    return next(user.get("totp_secret") for user in demo_users() if user["email"] == email)


def demo_page(app, email: str, password: str, path: str) -> str:
    """The page as the demo account sees it after logging in."""
    with app.app_context():
        client = app.test_client()
        log_in(app, email, password, demo_key(email), client)
        return client.get(path).get_data(as_text=True)


def printed_key(output: str) -> str:
    return re.search(r"^Nyckel: ([A-Z2-7]{32})$", output, re.MULTILINE).group(1)


def organisations_of_kind(kind: str) -> dict[str, Organisation]:
    rows = db.session.scalars(select(Organisation).where(Organisation.kind == kind))
    return {row.name: row for row in rows}


def database_contents() -> dict:
    db.session.rollback()
    return {
        table.name: db.session.execute(select(table).order_by(*table.primary_key)).all()
        for table in db.metadata.sorted_tables
    }


def test_demo_loads_lansbiblioteket_vasternorrland(portal):
    assert portal("demo").exit_code == 0
    assert set(organisations_of_kind("county_library")) == {"Länsbiblioteket Västernorrland"}


def test_demo_loads_the_seven_municipal_libraries_with_their_municipality_codes(portal):
    portal("demo")
    libraries = organisations_of_kind("municipal_library").values()
    assert {library.municipality_name for library in libraries} == MUNICIPAL_LIBRARIES
    codes = {library.municipality_name: library.municipality_code for library in libraries}
    assert codes["Kramfors"] == "2282"
    assert codes["Örnsköldsvik"] == "2284"


def test_demo_loads_region_vasternorrland_and_kulturradet_as_funders(portal):
    portal("demo")
    assert set(organisations_of_kind("funder")) == {"Region Västernorrland", "Kulturrådet"}


def test_demo_loads_kb_mtm_and_internationella_biblioteket(portal):
    portal("demo")
    assert set(organisations_of_kind("national_agency")) == {
        "Kungliga biblioteket",
        "Myndigheten för tillgängliga medier",
        "Internationella biblioteket",
    }


def test_demo_creates_one_user_per_role(portal):
    portal("demo")
    roles = db.session.scalars(select(User.role)).all()
    assert sorted(roles) == ["admin", "member", "staff"]


def test_demo_prints_credentials_that_log_in_with_each_role(app, portal):
    output = portal("demo").output
    printed = [line.split() for line in output.splitlines() if "@" in line]
    assert sorted(role for role, *_ in printed) == ["admin", "member", "staff"]
    for role, email, password, *key in printed:
        with app.app_context():
            client = app.test_client()
            response = log_in(app, email, password, *key, client=client)
            assert response.status_code == 302 and response.headers["Location"] == "/"
            assert client.get("/profil").status_code == 200
        assert db.session.scalar(select(User.role).where(User.email == email)) == role


def test_demo_admin_and_staff_carry_the_printed_app_key(app, portal):
    output = portal("demo").output
    keys = {line.split()[0]: line.split()[3:] for line in output.splitlines() if "@" in line}
    assert keys["member"] == []
    assert len(keys["admin"][0]) == len(keys["staff"][0]) == 32
    assert "pyotp.TOTP(" in output
    assert (
        log_in(app, "admin@lansbiblioteket.example", "demo-admin-hoga-kusten").headers["Location"]
        == "/logga-in/kod"
    )


def test_demo_run_twice_changes_nothing(portal):
    assert portal("demo").exit_code == 0
    after_first_run = database_contents()
    second = portal("demo")
    assert second.exit_code == 0
    assert database_contents() == after_first_run


def test_demo_refuses_to_run_in_production(app, portal, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_ENV", "production")
    result = portal("demo")
    assert result.exit_code != 0
    assert "Demodata laddas inte i produktion" in result.output
    assert db.session.scalar(select(User)) is None


def test_demo_runs_in_production_when_explicitly_allowed(app, portal, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_ENV", "production")
    assert portal("demo", "--allow-production").exit_code == 0
    assert len(db.session.scalars(select(User)).all()) == 3


def create_admin(portal, password=ADMIN_PASSWORD, email="astrid.nordin@lansbiblioteket.example"):
    return portal(
        "create-admin", "--email", email, "--name", "Astrid Nordin", "--password", password
    )


def test_create_admin_makes_an_admin_who_can_log_in(app, portal):
    result = create_admin(portal)
    assert result.exit_code == 0, result.output
    email, key = "astrid.nordin@lansbiblioteket.example", printed_key(result.output)
    with app.app_context():
        client = app.test_client()
        assert log_in(app, email, ADMIN_PASSWORD, key, client).headers["Location"] == "/"
        assert client.get("/admin/anvandare").status_code == 200
    admin = db.session.scalar(select(User))
    assert (admin.role, admin.name, admin.active) == ("admin", "Astrid Nordin", True)


def test_create_admin_prints_ten_recovery_codes_that_log_in(app, portal):
    output = create_admin(portal).output
    codes = re.findall(r"^  ([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})$", output, re.MULTILINE)
    assert len(set(codes)) == 10
    with app.app_context():
        client = app.test_client()
        log_in(app, "astrid.nordin@lansbiblioteket.example", ADMIN_PASSWORD, client=client)
        assert client.post("/logga-in/kod", data={"code": codes[0]}).headers["Location"] == "/"


def test_create_admin_again_resets_the_password_and_the_app_key(app, portal):
    old_key = printed_key(create_admin(portal).output)
    new_password = "snöfall-över-skuleberget-i-april"
    result = create_admin(portal, new_password)
    assert result.exit_code == 0
    new_key = printed_key(result.output)
    email = "astrid.nordin@lansbiblioteket.example"
    assert log_in(app, email, ADMIN_PASSWORD, old_key).status_code == 200
    assert new_key != old_key
    assert "Koden stämmer inte" in log_in(app, email, new_password, old_key).get_data(as_text=True)
    assert log_in(app, email, new_password, new_key).headers["Location"] == "/"
    assert db.session.scalars(select(User)).all()[0].role == "admin"


def test_create_admin_makes_an_existing_member_admin(portal):
    make_user(email="karin@kramfors.example", role="member")
    assert create_admin(portal, email="Karin@Kramfors.example").exit_code == 0
    (user,) = db.session.scalars(select(User)).all()
    assert (user.email, user.role) == ("karin@kramfors.example", "admin")


def test_create_admin_with_a_weak_password_explains_and_creates_nothing(portal):
    result = create_admin(portal, "bibliotek2024")
    assert result.exit_code != 0
    assert (
        "Lösenordet är byggt av en årstid, en månad, en kommun eller ett bibliotek" in result.output
    )
    assert db.session.scalar(select(User)) is None


def test_create_admin_with_an_invalid_email_explains_and_creates_nothing(portal):
    result = create_admin(portal, email="astrid.nordin")
    assert result.exit_code != 0
    assert "Ogiltig e-postadress" in result.output
    assert db.session.scalar(select(User)) is None


def demo_project(slug: str):
    return db.session.scalar(select(Project).where(Project.slug == slug))


def test_demo_loads_the_current_plan_period_with_its_three_goal_areas_in_order(portal):
    portal("demo")
    period = db.session.scalar(select(PlanPeriod).where(PlanPeriod.is_current))
    year = date.today().year
    assert period.name == f"Regional biblioteksplan {year - 1}–{year + 2}"
    assert [area.name for area in period.goal_areas] == [
        "Regional bibliotekssamverkan",
        "Demokrati och delaktighet",
        "Litteratur och läsfrämjande",
    ]


def test_demo_keeps_the_plan_2015_2017_as_history_whose_projects_all_ended(portal):
    portal("demo")
    history = db.session.scalar(
        select(PlanPeriod).where(PlanPeriod.name == "Regional biblioteksplan 2015–2017")
    )
    assert not history.is_current
    projects = db.session.scalars(
        select(Project).join(GoalArea).where(GoalArea.plan_period_id == history.id)
    ).all()
    assert len(projects) == 7
    assert {project.status for project in projects} == {"finished"}
    assert all(milestone.done_on for project in projects for milestone in project.milestones)
    assert all(
        deadline.submitted_on
        for project in projects
        for grant in project.grants
        for deadline in grant.deadlines
    )


def test_demo_loads_the_four_target_groups(portal):
    portal("demo")
    assert set(db.session.scalars(select(TargetGroup.name))) == {
        "Barn och unga",
        "Personer med funktionsnedsättning",
        "Personer med annat modersmål än svenska",
        "Nationella minoriteter",
    }


def test_demo_loads_bokstart_with_its_kulturradet_grant(portal):
    portal("demo")
    bokstart = demo_project("bokstart-vasternorrland")
    assert bokstart.title == "Bokstart Västernorrland"
    assert bokstart.goal_area.name == "Litteratur och läsfrämjande"
    assert [group.name for group in bokstart.target_groups] == ["Barn och unga"]
    participants = {participant.organisation.name for participant in bokstart.participants}
    assert {"Kramfors bibliotek", "Sollefteå bibliotek"} <= participants
    (grant,) = bokstart.grants
    assert (grant.funder.name, grant.case_number, grant.amount_ore) == (
        "Kulturrådet",
        "KUR 2015/1234",
        600_000_00,
    )
    assert str(grant.decided_on) == "2015-11-20"
    final = [deadline for deadline in grant.deadlines if deadline.kind == "final_report"]
    assert [str(deadline.due_on) for deadline in final] == ["2017-03-31"]


def test_demo_budgets_cost_what_they_are_financed_with(portal):
    portal("demo")
    for project in db.session.scalars(select(Project)):
        financing = sum(grant.amount_ore for grant in project.grants) + sum(
            contribution.amount_ore for contribution in project.contributions
        )
        costs = sum(line.planned_ore for line in project.budget_lines)
        assert costs == financing, project.title


def test_demo_bokstart_counts_families_reached_in_kramfors(portal):
    portal("demo")
    (indicator,) = demo_project("bokstart-vasternorrland").indicators
    assert (indicator.name, indicator.unit, int(indicator.target)) == (
        "Familjer som nåtts",
        "familjer",
        400,
    )
    assert any(m.municipality == "Kramfors" for m in indicator.measurements)


def test_demo_has_at_least_two_projects_in_every_goal_area_of_both_plans(portal):
    portal("demo")
    counts = dict(
        db.session.execute(
            select(GoalArea.id, func.count(Project.id))
            .outerjoin(Project, Project.goal_area_id == GoalArea.id)
            .group_by(GoalArea.id)
        ).all()
    )
    assert len(counts) == 6
    assert min(counts.values()) >= 2
    assert db.session.scalar(select(func.count(Project.id))) == 13


def test_kramfors_librarian_finds_bokstart_on_the_dashboard(app, portal):
    portal("demo")
    page = demo_page(app, "bibliotekarie@kramfors.example", "demo-bibliotekarie-hoga-kusten", "/")
    assert "Bokstart Västernorrland" in page
    assert "Litteratur och läsfrämjande" in page


def test_kramfors_librarian_sees_deadlines_and_news_of_a_project_running_now(app, portal):
    portal("demo")
    page = demo_page(app, "bibliotekarie@kramfors.example", "demo-bibliotekarie-hoga-kusten", "/")
    deadlines = page.split('id="deadlines-heading"')[1].split("</section>")[0]
    assert "Utbildningsdag för BVC i Timrå" in deadlines
    assert "KUR 2025/4711" in deadlines
    updates = page.split('id="updates-heading"')[1].split("</section>")[0]
    assert "tolv familjer kom" in updates


def test_kramfors_librarian_sees_the_demo_news_and_her_projects_documents_on_the_dashboard(
    app, portal
):
    portal("demo")
    page = demo_page(app, "bibliotekarie@kramfors.example", "demo-bibliotekarie-hoga-kusten", "/")
    news = page.split('id="news-heading"')[1].split("</section>")[0]
    assert news.index("Bokstart till Västernorrland!") < news.index("Digital hjälp nu även i")
    assert "Anmälan till Littfest öppnar" not in news
    documents = page.split('id="documents-heading"')[1].split("</section>")[0]
    for title in (
        "Projektplan Bokstart i hela länet",
        "Handledarmanual digital hjälp",
        "Ansökan Bokstart Västernorrland",
    ):
        assert title in documents
    assert "Minnesanteckningar nätverksträff i Kramfors" not in documents


def test_demo_news_is_on_the_news_page_and_tomorrows_item_waits(app, portal):
    portal("demo")
    page = demo_page(
        app, "personal@lansbiblioteket.example", "demo-personal-hoga-kusten", "/nyheter"
    )
    published, waiting = page.split('id="waiting-heading"')
    assert "Bokstart till Västernorrland!" in published
    assert "Anmälan till Littfest öppnar" in waiting


def test_kramfors_librarian_finds_littfest_and_her_projects_meeting_in_the_calendar(app, portal):
    portal("demo")
    page = demo_page(
        app, "bibliotekarie@kramfors.example", "demo-bibliotekarie-hoga-kusten", "/kalender"
    )
    assert "Littfest i Umeå" in page
    assert "Träff om Bokstart i hela länet" in page  # Kramfors takes part in the project
    assert "Utbildningsdag för BVC i Timrå" in page
