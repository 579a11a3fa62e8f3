"""The project list's kept filter counts: after any run of changes they are what counting every
project afresh gives, and the list built from them shows what counting the projects shows."""

import random
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import insert, select

from portal.extensions import db
from portal.projects import queries
from portal.projects.facet_counts import read_profiles
from portal.projects.models import Grant, Project, ProjectParticipant, project_facet_counts
from portal.projects.queries import ProjectFilters, project_list
from tests.factories import make_organisation
from tests.projects.factories import (
    make_goal_area,
    make_plan_period,
    make_project,
    make_target_group,
)

pytestmark = pytest.mark.both_databases


def kept_counts() -> Counter:
    table = project_facet_counts
    return Counter(
        {
            tuple(row[:-1]): row.projects
            for row in db.session.execute(select(table).where(table.c.projects != 0))
        }
    )


def counted_afresh() -> Counter:
    counts: Counter = Counter()
    for profile in read_profiles(db.session.connection()).values():
        counts.update(profile.keys())
    return counts


def shown(page) -> dict:
    return {
        "total": page.total,
        "projects": [row.slug for row in page.projects],
        **{name: facet.options for name, facet in page.facets.items()},
    }


def counted_from_projects(monkeypatch, filters: ProjectFilters) -> dict:
    with monkeypatch.context() as patched:
        patched.setattr(queries, "counted", lambda *args: None)
        return shown(project_list(filters))


class World:
    """Projects with everything the list filters by, and the changes people make to them."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        current, older = make_plan_period("Plan 2026–2029"), make_plan_period("Plan 2015–2017")
        self.areas = [
            make_goal_area("Läsfrämjande", plan_period=current),
            make_goal_area("Samverkan", plan_period=current),
            make_goal_area("Demokrati", plan_period=older),
        ]
        self.groups = [make_target_group(name) for name in ("Barn", "Unga", "Nyanlända")]
        self.libraries = [
            make_organisation("Kramfors bibliotek", municipality_name="Kramfors"),
            make_organisation("Bollstabruks skola", kind="school", municipality_name="Kramfors"),
            make_organisation("Ånge bibliotek", municipality_name="Ånge"),
            make_organisation("Studieförbundet", kind="other"),
        ]
        self.funders = [
            make_organisation("Kulturrådet", kind="funder"),
            make_organisation("Region Västernorrland", kind="funder"),
        ]
        for _ in range(8):
            self.new_project()

    def projects(self) -> list[Project]:
        return list(db.session.scalars(select(Project).order_by(Project.id)))

    def project(self) -> Project:
        return self.rng.choice(self.projects())

    def new_project(self) -> None:
        rng = self.rng
        project = make_project(
            goal_area=rng.choice(self.areas),
            participants=rng.sample(self.libraries, rng.randint(0, 3)),
            status=rng.choice(["idea", "planned", "running", "finished"]),
            health=rng.choice(["on_track", "at_risk", "off_track"]),
        )
        self.set_dates(project)
        project.target_groups = rng.sample(self.groups, rng.randint(0, 2))
        for funder in rng.sample(self.funders, rng.randint(0, 2)):
            project.grants.append(Grant(funder=funder, amount_ore=100_000))
        db.session.commit()

    def set_dates(self, project: Project) -> None:
        rng = self.rng
        starts = date(2014, 1, 1) + timedelta(days=rng.randrange(0, 4000))
        project.starts_on = rng.choice([starts, starts, None])
        project.ends_on = rng.choice([starts + timedelta(days=rng.randrange(30, 1500)), None])

    def change(self) -> None:
        """One change as the pages make them, committed (or, now and then, rolled back)."""
        rng = self.rng
        project = self.project()
        kind = rng.randrange(12)
        if kind == 0:
            project.status = rng.choice(["idea", "running", "final_report_submitted"])
        elif kind == 1:
            project.health = rng.choice(["on_track", "at_risk", "off_track"])
            project.goal_area = rng.choice(self.areas)
        elif kind == 2:
            self.set_dates(project)
        elif kind == 3:
            taken = {p.organisation_id for p in project.participants}
            free = [o for o in self.libraries if o.id not in taken]
            if free:
                project.participants.append(ProjectParticipant(organisation=rng.choice(free)))
        elif kind == 4 and project.participants:
            project.participants.remove(rng.choice(project.participants))
        elif kind == 5:
            project.grants.append(Grant(funder=rng.choice(self.funders), amount_ore=5_000))
        elif kind == 6 and project.grants:
            rng.choice(project.grants).funder = rng.choice(self.funders)
        elif kind == 7 and project.grants:
            project.grants.remove(rng.choice(project.grants))
        elif kind == 8:
            project.target_groups = rng.sample(self.groups, rng.randint(0, 3))
        elif kind == 9:
            rng.choice(self.libraries).municipality_name = rng.choice(["Kramfors", "Timrå", None])
        elif kind == 10:
            db.session.delete(project)
        else:
            self.new_project()
        if rng.random() < 0.1:
            db.session.flush()
            db.session.rollback()
        else:
            db.session.commit()

    def some_filters(self) -> list[ProjectFilters]:
        area, group, funder = self.areas[0], self.groups[0], self.funders[0]
        period = area.plan_period_id
        return [
            ProjectFilters(),
            ProjectFilters(status="running"),
            ProjectFilters(status="running", health="at_risk"),
            ProjectFilters(goal_area=area.id, sort="start"),
            ProjectFilters(plan_period=period, health="on_track"),
            ProjectFilters(municipality="Kramfors"),
            ProjectFilters(municipality="Kramfors", status="running"),
            ProjectFilters(funder=funder.id, plan_period=period),
            ProjectFilters(target_group=group.id, health="off_track"),
            ProjectFilters(year=2016),
            ProjectFilters(year=2019, goal_area=area.id),
            ProjectFilters(municipality="Ånge", funder=funder.id),
        ]


@pytest.mark.parametrize("seed", [2015, 2026])
def test_kept_counts_follow_every_change_and_the_list_shows_what_counting_shows(
    app, seed, monkeypatch
):
    world = World(random.Random(seed))
    for step in range(60):
        world.change()
        assert kept_counts() == counted_afresh(), f"after change {step}"
        if step % 20 == 19:
            for filters in world.some_filters():
                kept = shown(project_list(filters))
                assert kept == counted_from_projects(monkeypatch, filters), filters


def test_projects_written_in_bulk_are_counted_at_commit(app):
    area = make_goal_area()
    db.session.execute(
        insert(Project),
        [
            {"slug": f"bokbuss-{n}", "title": f"Bokbuss {n}", "goal_area_id": area.id}
            for n in range(5)
        ],
    )
    db.session.commit()
    assert kept_counts() == counted_afresh()
    page = project_list(ProjectFilters(goal_area=area.id))
    assert page.total == 5
    assert ("idea", "Idé", 5) in page.facets["status"].options


def test_a_project_counted_under_its_municipality_once_however_many_libraries_take_part(app):
    area = make_goal_area()
    kramfors = [
        make_organisation(name, municipality_name="Kramfors")
        for name in ("Kramfors bibliotek", "Bollstabruks skola")
    ]
    make_project("Läsombud", goal_area=area, participants=kramfors)
    page = project_list(ProjectFilters())
    assert page.facets["municipality"].options == [("Kramfors", "Kramfors", 1)]


def test_with_a_municipality_and_a_target_group_chosen_the_funders_are_still_counted(app):
    """Two multi-valued filters are counted from the projects: the municipality's condition
    once hid every funder (it was correlated with the funders' own join)."""
    area, children = make_goal_area(), make_target_group("Barn")
    kramfors = make_organisation("Kramfors bibliotek", municipality_name="Kramfors")
    culture = make_organisation("Kulturrådet", kind="funder")
    project = make_project("Bokstart", goal_area=area, participants=[kramfors])
    project.target_groups = [children]
    project.grants.append(Grant(funder=culture, amount_ore=100_000))
    db.session.commit()
    page = project_list(ProjectFilters(municipality="Kramfors", target_group=children.id))
    assert page.total == 1
    assert page.facets["funder"].options == [(culture.id, "Kulturrådet", 1)]
