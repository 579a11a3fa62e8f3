"""The benchmarked pages run the same small number of SQL statements with 10 rows and 1 000.

Rows are added in bulk (one commit) so the large case stays quick.
"""

from datetime import date

import pytest

from portal.extensions import db
from portal.projects.models import Grant, Indicator, ProgressUpdate, Project, ProjectParticipant
from tests.factories import make_organisation
from tests.projects.factories import make_goal_area, make_project
from tests.queries import counted_statements

pytestmark = pytest.mark.both_databases

MAX_STATEMENTS = 15


def add_projects(count: int, goal_area, library, funder, lead, offset: int) -> None:
    for n in range(offset, offset + count):
        project = Project(
            title=f"Projekt {n:04d}",
            slug=f"massprojekt-{n}",
            goal_area=goal_area,
            status="running",
            health="at_risk" if n % 2 else "on_track",
            lead=lead,
            starts_on=date(2016, 1, 1),
        )
        project.participants = [ProjectParticipant(organisation=library, role="partner")]
        project.grants = [Grant(funder=funder, amount_ore=100_000_00, case_number=f"KUR {n}")]
        project.updates = [
            ProgressUpdate(author=lead, reported_on=date(2016, 2, 1), text="Bokprat")
        ]
        project.indicators = [Indicator(name="Familjer", unit="familjer", target=400)]
        db.session.add(project)
    db.session.commit()


def add_updates(project, author, count: int) -> None:
    db.session.add_all(
        ProgressUpdate(project=project, author=author, reported_on=date(2016, 3, 1), text="Mer")
        for _ in range(count)
    )
    db.session.commit()


@pytest.mark.parametrize(
    "path",
    ["/", "/projekt", "/projekt?status=running&health=at_risk", "/projekt/bokstart"],
)
def test_page_runs_the_same_statements_with_10_rows_and_with_1000(client, login_as, path):
    library = make_organisation("Kramfors bibliotek", municipality_name="Kramfors")
    funder = make_organisation("Kulturrådet", kind="funder")
    member = login_as("member", organisation=library)
    area = make_goal_area()
    project = make_project("Bokstart", slug="bokstart", goal_area=area, participants=[library])
    add_projects(10, area, library, funder, member, offset=0)
    add_updates(project, member, 10)
    with counted_statements() as few:
        assert client.get(path).status_code == 200
    add_projects(990, area, library, funder, member, offset=10)
    add_updates(project, member, 990)
    with counted_statements() as many:
        assert client.get(path).status_code == 200
    assert len(few) == len(many) <= MAX_STATEMENTS, (len(few), len(many))
