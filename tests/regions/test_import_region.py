"""`portal import-region`: every region file shipped in regions/ sets up a working portal; a
wrong file is refused whole, with file, line and field; a second run changes nothing; a changed
field changes just that; nothing another row refers to is removed."""

import email
import email.policy
from email.utils import parseaddr
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from portal.accounts.models import Organisation
from portal.core import region_identity
from portal.extensions import db
from portal.notifications.messages import message_bytes
from portal.notifications.outbox import queue_email
from portal.projects.models import FunderContact, GoalArea, PlanPeriod, Project, TargetGroup
from portal.regions import REGIONS_DIR
from portal.regions.schema import read_region
from tests.factories import make_user
from tests.projects.factories import make_project
from tests.queries import counted_statements

REGION_FILES = sorted(REGIONS_DIR.glob("*.toml"))
JAMTLAND = REGIONS_DIR / "jamtland-harjedalen.toml"


@pytest.fixture
def import_region(app):
    """Run `flask portal import-region <file>`; returns the click result."""
    runner = app.test_cli_runner()

    def run(path: Path):
        result = runner.invoke(args=["portal", "import-region", str(path)])
        db.session.expire_all()
        return result

    return run


def edited(tmp_path: Path, old: str, new: str, source: Path = JAMTLAND) -> Path:
    """A copy of the region file with one piece of text replaced."""
    text = source.read_text("utf-8")
    assert old in text
    copy = tmp_path / "region.toml"
    copy.write_text(text.replace(old, new, 1), "utf-8")
    return copy


def counts() -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Organisation, PlanPeriod, GoalArea, TargetGroup)
    }


def test_both_regions_ship():
    assert {path.name for path in REGION_FILES} >= {
        "vasternorrland.toml",
        "jamtland-harjedalen.toml",
    }


@pytest.mark.parametrize("path", REGION_FILES, ids=lambda path: path.stem)
def test_a_region_file_sets_up_a_portal_its_staff_can_work_in(
    app, client, login_as, import_region, path
):
    region = read_region(path)
    result = import_region(path)
    assert result.exit_code == 0, result.output
    county = db.session.scalar(select(Organisation).where(Organisation.kind == "county_library"))
    assert county.name == region.county_library.name

    login_as("staff", organisation=county)
    dashboard = client.get("/")
    assert dashboard.status_code == 200
    page = dashboard.get_data(as_text=True)
    assert region.county_library.footer_text in page
    assert region.plan_period.name in page
    assert client.get("/projekt").status_code == 200
    new_project = client.get("/projekt/nytt").get_data(as_text=True)
    assert all(area.name in new_project for area in region.plan_period.goal_areas)
    assert all(group in new_project for group in region.target_groups)

    login_as("admin", organisation=county)
    organisations = client.get("/admin/organisationer").get_data(as_text=True)
    assert all(library.name in organisations for library in region.libraries)
    assert all(funder.name in organisations for funder in region.funders)
    codes = set(db.session.scalars(select(Organisation.municipality_code)))
    assert {municipality.scb_code for municipality in region.municipalities} <= codes


def test_jamtland_has_its_eight_municipalities_with_their_scb_codes(app, import_region):
    import_region(JAMTLAND)
    libraries = db.session.execute(
        select(Organisation.municipality_name, Organisation.municipality_code).where(
            Organisation.kind == "municipal_library"
        )
    ).all()
    assert dict(libraries) == {
        "Ragunda": "2303",
        "Bräcke": "2305",
        "Krokom": "2309",
        "Strömsund": "2313",
        "Åre": "2321",
        "Berg": "2326",
        "Härjedalen": "2361",
        "Östersund": "2380",
    }


def test_a_wrong_file_names_file_line_and_field_in_swedish_and_writes_nothing(
    app, import_region, tmp_path
):
    wrong = edited(tmp_path, 'scb_code = "2309"', 'scb_code = "239"')
    wrong.write_text(
        wrong.read_text("utf-8").replace('municipality = "Berg"', 'municipality = "Bergs"'),
        "utf-8",
    )
    result = import_region(wrong)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert (
        f"{wrong}, rad 34, fält municipalities[3].scb_code: SCB-koden måste vara fyra siffror"
        in lines
    )
    assert (
        f"{wrong}, rad 78, fält libraries[6].municipality: "
        "kommunen ”Bergs” finns inte under [[municipalities]]"
    ) in lines
    assert f"{wrong}: 3 fel, inget har skrivits till databasen." in lines
    assert counts() == {"Organisation": 0, "PlanPeriod": 0, "GoalArea": 0, "TargetGroup": 0}


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "ends_on = 2027-12-31",
            "ends_on = 2023-12-31",
            "rad 133, fält plan_period.ends_on: planen måste sluta efter att den börjar",
        ),
        (
            'funder = "Region Jämtland Härjedalen"',
            'funder = "Regionen"',
            "fält report_templates[3].funder: finansiären ”Regionen” finns inte under [[funders]]",
        ),
        (
            'name = "Digital delaktighet"',
            'name = "Läsfrämjande för alla åldrar"',
            "rad 140, fält plan_period.goal_areas[2].name: målområdet ”Läsfrämjande för alla "
            "åldrar” finns redan (plan_period.goal_areas[1])",
        ),
        (
            'scb_code = "2305"',
            'scb_code = "2303"',
            "fält municipalities[2].scb_code: SCB-koden ”2303” finns redan (municipalities[1])",
        ),
        (
            "[[plan_period.goal_areas]]",
            "[[plan_period.goal_area]]",
            "fält plan_period.goal_area: okänt fält",
        ),
    ],
    ids=["dates", "funder", "duplicate goal area", "duplicate code", "typo"],
)
def test_each_kind_of_mistake_is_named(app, import_region, tmp_path, old, new, message):
    result = import_region(edited(tmp_path, old, new))
    assert result.exit_code == 1
    assert message in result.output
    assert counts()["Organisation"] == 0


def test_a_plan_without_goal_areas_is_refused(app, import_region, tmp_path):
    text = JAMTLAND.read_text("utf-8")
    areas = text[text.index("[[plan_period.goal_areas]]") : text.index("[[report_templates]]")]
    result = import_region(edited(tmp_path, areas, ""))
    assert result.exit_code == 1
    assert (
        "fält plan_period.goal_areas: minst en [[plan_period.goal_areas]] behövs" in result.output
    )


def test_a_file_that_is_not_toml_names_its_line(app, import_region, tmp_path):
    result = import_region(edited(tmp_path, 'scb_code = "2303"', "scb_code = 2303-"))
    assert result.exit_code == 1
    assert f"{tmp_path / 'region.toml'}, rad 26: filen är inte giltig TOML" in result.output


def test_importing_again_changes_nothing(app, import_region):
    first = import_region(JAMTLAND)
    assert first.exit_code == 0
    assert "Nytt: organisationen Östersunds bibliotek" in first.output
    before = counts()
    again = import_region(JAMTLAND)
    assert again.exit_code == 0
    assert again.output.strip() == "Inget ändrat."
    assert counts() == before


def test_a_changed_field_is_all_that_changes(app, import_region, tmp_path):
    import_region(JAMTLAND)
    changed = edited(tmp_path, 'phone = "010-225 30 00"', 'phone = "010-225 31 00"')
    result = import_region(changed)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Ändrat: kontakten anders.olofsson@lansstyrelsen-z.example.org hos Länsstyrelsen "
        "Jämtlands län, phone",
        "1 ändring.",
    ]
    contact = db.session.scalar(
        select(FunderContact).where(FunderContact.name == "Anders Olofsson")
    )
    assert contact.phone == "010-225 31 00"


def test_a_goal_area_left_out_of_the_file_stays_with_its_projects(app, import_region, tmp_path):
    import_region(JAMTLAND)
    area = db.session.scalar(select(GoalArea).where(GoalArea.name == "Digital delaktighet"))
    project = make_project(goal_area=area)
    db.session.commit()
    without = edited(
        tmp_path,
        '[[plan_period.goal_areas]]\nname = "Digital delaktighet"\n'
        'description = "Biblioteken hjälper länets invånare att använda digitala tjänster och '
        'källor."\n\n',
        "",
    )
    result = import_region(without)
    assert result.exit_code == 0, result.output
    assert db.session.get(Project, project.id).goal_area.name == "Digital delaktighet"


def test_the_footer_and_the_email_sender_name_come_from_the_file(app, client, import_region):
    import_region(JAMTLAND)
    login_page = client.get("/logga-in").get_data(as_text=True)
    assert "Regionbibliotek Jämtland Härjedalen och folkbiblioteken" in login_page
    with app.test_request_context():  # the worker's own connection would not see the test's rows
        row = queue_email(
            "karin@kramfors.example",
            "password_reset",
            "Återställ ditt lösenord",
            user=make_user(),
            link="http://portal.test/aterstall-losenord/abc",
        )
        sent = email.message_from_bytes(message_bytes(row), policy=email.policy.default)
    assert sent["From"].addresses[0].display_name == "Regionbibliotek Jämtland Härjedalen"
    assert sent["From"].addresses[0].addr_spec == parseaddr(app.config["MAIL_FROM"])[1]


def test_without_a_region_the_footer_is_the_general_one(app, client):
    page = client.get("/logga-in").get_data(as_text=True)
    assert "Länsbiblioteket och kommunbiblioteken i länet" in page


def test_a_database_that_cannot_be_read_leaves_the_general_footer(client, monkeypatch):
    """The page that says the database is down must not fail on its footer."""

    def unreadable():
        raise OperationalError("SELECT", {}, Exception("the server closed the connection"))

    monkeypatch.setattr(region_identity, "_read", unreadable)
    page = client.get("/logga-in")
    assert page.status_code == 200
    assert "Länsbiblioteket och kommunbiblioteken i länet" in page.get_data(as_text=True)


def test_a_page_reads_the_footer_once_per_import_not_per_request(
    app, client, login_as, import_region, tmp_path
):
    import_region(JAMTLAND)
    login_as("staff")
    client.get("/projekt")
    with counted_statements() as statements:
        page = client.get("/projekt").get_data(as_text=True)
    assert "Regionbibliotek Jämtland Härjedalen och folkbiblioteken" in page
    assert not any("footer_text" in statement for statement in statements)

    import_region(edited(tmp_path, "i länets åtta kommuner", "i åtta kommuner"))
    page = client.get("/projekt").get_data(as_text=True)
    assert "folkbiblioteken i åtta kommuner" in page
