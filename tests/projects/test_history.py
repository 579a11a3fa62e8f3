"""A project's history reads in Swedish: names instead of ids, kronor, dates and Stockholm time."""

from datetime import UTC, date, datetime

from portal.core import audit
from portal.core.audit import AuditEntry
from portal.extensions import db
from portal.projects.funding.services import save_grant
from portal.projects.progress.milestones import save_milestone
from tests.factories import make_organisation, make_user
from tests.projects.factories import make_goal_area, make_project
from tests.projects.funding_factories import make_grant
from tests.queries import counted_statements


def readable(page: str) -> str:
    """Babel groups digits and joins "kr" with non-breaking spaces; a reader sees spaces."""
    return page.replace("\xa0", " ").replace("\u202f", " ")


def history_page(client, project) -> str:
    response = client.get(f"/projekt/{project.slug}/historik")
    assert response.status_code == 200
    return readable(response.get_data(as_text=True))


def test_a_grant_amount_change_is_a_swedish_sentence_naming_the_funder(client, login_as):
    project = make_project("Bokstart Västernorrland")
    grant = make_grant(
        project, funder=make_organisation("Kulturrådet", kind="funder"), amount_ore=200_000_00
    )
    staff = login_as("staff", name="Stina Stab")
    save_grant(
        staff,
        project,
        grant,
        funder_id=grant.funder_id,
        case_number=grant.case_number,
        amount="250 000",
        decided_on=grant.decided_on,
        period_starts_on=None,
        period_ends_on=None,
        conditions="",
        deadlines=[("final_report", date(2017, 3, 31))],
    )
    db.session.commit()

    page = history_page(client, project)

    assert "Bidraget från Kulturrådet ändrades från 200 000 kr till 250 000 kr." in page
    assert "amount_ore" not in page and "2000000" not in page


def test_the_history_names_people_goal_areas_and_funders_instead_of_ids(client, login_as):
    anna = make_user("staff", name="Anna Andersson")
    bertil = make_user("staff", name="Bertil Berg")
    reading = make_goal_area("Läsfrämjande")
    digital = make_goal_area("Digital delaktighet")
    project = make_project("Bokstart Västernorrland", goal_area=reading, lead=anna, team=[bertil])
    staff = login_as("staff", name="Stina Stab")
    audit.record(
        staff,
        project.id,
        "update",
        "project",
        project.id,
        {"lead_id": [anna.id, bertil.id], "goal_area_id": [reading.id, digital.id]},
    )
    save_milestone(
        staff,
        project,
        None,
        title="Lansering",
        due_on=date(2016, 6, 1),
        responsible_id=bertil.id,
        done_on=None,
    )
    db.session.commit()

    page = history_page(client, project)

    assert "Projektledare för projektet Bokstart Västernorrland ändrades från" in page
    assert "från Anna Andersson till Bertil Berg." in page
    assert "från Läsfrämjande till Digital delaktighet." in page
    assert "Milstolpen Lansering lades till." in page
    assert "Ansvarig: Bertil Berg" in page and "Planerat datum: 1 juni 2016" in page
    assert "lead_id" not in page and "goal_area_id" not in page and "responsible_id" not in page


def test_times_are_stockholm_time_in_summer_and_in_winter(client, login_as):
    project = make_project()
    staff = login_as("staff")
    for at in (datetime(2026, 7, 1, 10, 0, tzinfo=UTC), datetime(2026, 12, 1, 10, 0, tzinfo=UTC)):
        entry = audit.record(
            staff, project.id, "update", "project", project.id, {"title": ["a", "b"]}
        )
        entry.at = at
    db.session.commit()

    page = history_page(client, project)

    assert "2026-07-01 12:00" in page  # CEST, UTC+2
    assert "2026-12-01 11:00" in page  # CET, UTC+1
    assert "10:00" not in page


def test_the_history_runs_the_same_statements_for_few_and_many_entries(client, login_as):
    project = make_project()
    funder = make_organisation("Kulturrådet", kind="funder")
    login_as("staff")

    def add_entries(count: int) -> None:
        for number in range(count):
            person = make_user("staff", name=f"Person {number}")
            grant = make_grant(project, funder=funder)
            audit.record(
                person,
                project.id,
                "update",
                "grant",
                grant.id,
                {"amount_ore": [100_00 * number, 200_00 * number]},
            )
            audit.record(
                person, project.id, "update", "project", project.id, {"lead_id": [None, person.id]}
            )
        db.session.commit()

    def statements_of_the_page() -> int:
        with counted_statements() as statements:
            history_page(client, project)
        return len(statements)

    add_entries(2)
    few = statements_of_the_page()
    add_entries(20)
    many = statements_of_the_page()

    assert many == few
    assert db.session.query(AuditEntry).filter_by(project_id=project.id).count() >= 44
