"""Read models for the project pages, each built with a fixed number of SQL statements.

The list's filters each show how many projects each value would give, counted by the database
with the other filters applied (one aggregate per filter), whatever the number of projects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import aliased

from portal.accounts.models import Organisation, User
from portal.core.forms import int_or_none
from portal.core.pagination import Paged
from portal.extensions import db
from portal.projects.list_counts import (
    PROJECT_COLUMN_FILTERS,
    Group,
    counted,
    counted_options,
    passes,
    years,
)
from portal.projects.models import (
    PROJECT_HEALTH,
    PROJECT_STATUSES,
    GoalArea,
    Grant,
    PlanPeriod,
    Project,
    ProjectParticipant,
    TargetGroup,
    project_target_groups,
)

PER_PAGE = 25
SORTS = {
    "title": (Project.title.asc(), Project.id.asc()),
    "start": (Project.starts_on.desc(), Project.title.asc(), Project.id.asc()),
    "status": (Project.status.asc(), Project.title.asc(), Project.id.asc()),
}


@dataclass(frozen=True)
class ProjectFilters:
    plan_period: int | None = None
    goal_area: int | None = None
    status: str | None = None
    health: str | None = None
    municipality: str | None = None
    funder: int | None = None
    target_group: int | None = None
    year: int | None = None
    sort: str = "title"
    page: int = 1

    @classmethod
    def from_args(cls, args) -> ProjectFilters:
        """From the GET form's query string; an unknown value is ignored, not an error."""
        status = args.get("status") or None
        health = args.get("health") or None
        year = int_or_none(args.get("year"))
        sort = args.get("sort") or "title"
        return cls(
            plan_period=int_or_none(args.get("plan_period")),
            goal_area=int_or_none(args.get("goal_area")),
            status=status if status in PROJECT_STATUSES else None,
            health=health if health in PROJECT_HEALTH else None,
            municipality=(args.get("municipality") or "").strip() or None,
            funder=int_or_none(args.get("funder")),
            target_group=int_or_none(args.get("target_group")),
            year=year if year and 1900 <= year <= 2200 else None,
            sort=sort if sort in SORTS else "title",
            page=max(int_or_none(args.get("page")) or 1, 1),
        )

    def query_args(self, **override) -> dict:
        """The filters as URL values (for the pager and the sort links), empty ones left out."""
        values = {
            "plan_period": self.plan_period,
            "goal_area": self.goal_area,
            "status": self.status,
            "health": self.health,
            "municipality": self.municipality,
            "funder": self.funder,
            "target_group": self.target_group,
            "year": self.year,
            "sort": self.sort,
        }
        values.update(override)
        return {key: value for key, value in values.items() if value not in (None, "")}


def _conditions(filters: ProjectFilters, skip: str | tuple = ()) -> list:
    """The WHERE clauses of the filters, but for those named in `skip`."""
    skip = (skip,) if isinstance(skip, str) else skip
    conditions = []
    if filters.plan_period is not None and "plan_period" not in skip:
        conditions.append(
            Project.goal_area_id.in_(
                select(GoalArea.id).where(GoalArea.plan_period_id == filters.plan_period)
            )
        )
    if filters.goal_area is not None and "goal_area" not in skip:
        conditions.append(Project.goal_area_id == filters.goal_area)
    if filters.status and "status" not in skip:
        conditions.append(Project.status == filters.status)
    if filters.health and "health" not in skip:
        conditions.append(Project.health == filters.health)
    if filters.municipality and "municipality" not in skip:
        # Its own alias: the funder filter's counts join Organisation too, which this EXISTS
        # would otherwise be correlated with.
        taking_part = aliased(Organisation)
        conditions.append(
            exists()
            .where(ProjectParticipant.project_id == Project.id)
            .where(ProjectParticipant.organisation_id == taking_part.id)
            .where(taking_part.municipality_name == filters.municipality)
        )
    if filters.funder is not None and "funder" not in skip:
        conditions.append(
            exists().where(Grant.project_id == Project.id).where(Grant.funder_id == filters.funder)
        )
    if filters.target_group is not None and "target_group" not in skip:
        conditions.append(
            exists()
            .where(project_target_groups.c.project_id == Project.id)
            .where(project_target_groups.c.target_group_id == filters.target_group)
        )
    if filters.year is not None and "year" not in skip:
        conditions.append(_running_in(filters.year))
    return conditions


def _running_in(year: int):
    """A project runs in `year` if it has started by its end and not ended before its start."""
    return and_(
        Project.starts_on.is_not(None),
        Project.starts_on <= date(year, 12, 31),
        or_(Project.ends_on.is_(None), Project.ends_on >= date(year, 1, 1)),
    )


def filter_conditions(filters: ProjectFilters) -> list:
    """The WHERE clauses of the list's filters, for other read models of the same projects
    (the list's downloads, the statistics page)."""
    return _conditions(filters)


def projects_for_export(filters: ProjectFilters) -> list:
    """Every project the filters keep (not one page), in the list's order, with the list's
    columns and the plan period: one statement."""
    lead = aliased(User)
    return db.session.execute(
        select(
            Project.title,
            PlanPeriod.name.label("plan_period"),
            GoalArea.name.label("goal_area"),
            Project.status,
            Project.health,
            Project.starts_on,
            Project.ends_on,
            lead.name.label("lead"),
        )
        .join(GoalArea, GoalArea.id == Project.goal_area_id)
        .join(PlanPeriod, PlanPeriod.id == GoalArea.plan_period_id)
        .outerjoin(lead, lead.id == Project.lead_id)
        .where(*_conditions(filters))
        .order_by(*SORTS[filters.sort])
    ).all()


@dataclass
class Facet:
    """One filter: its options as (value, label, count)."""

    name: str
    options: list[tuple] = field(default_factory=list)


@dataclass
class ProjectListPage(Paged):
    filters: ProjectFilters
    projects: list  # rows: slug, title, status, health, starts_on, ends_on, goal_area, lead
    total: int
    page: int
    pages: int
    facets: dict[str, Facet]


def _counted(key, label, filters, skip, *joins, through, order=None):
    """Projects per value of a filter reached through a link table (`through` is its project
    column). With no other filter to apply the projects table is left out: every link's
    project exists (a foreign key), so the links alone are counted, which at 100 000 projects
    takes half the time or less of joining them to every project first."""
    conditions = _conditions(filters, skip)
    if conditions:
        query = select(key, label, func.count(func.distinct(Project.id))).select_from(Project)
    else:
        query = select(key, label, func.count(func.distinct(through))).select_from(joins[0][0])
        joins = joins[1:]
    for target, onclause in joins:
        query = query.join(target, onclause)
    query = query.where(*conditions).group_by(key, label)
    query = query.order_by(*(order if order is not None else (label,)))
    return [tuple(row) for row in db.session.execute(query)]


def _column_groups(filters: ProjectFilters, period_of: dict[int, int]) -> list[Group]:
    """One aggregate for the total and four facets: the projects grouped by status, health and
    goal area under the other filters. Each facet then adds up the few groups that pass the
    remaining column filters, instead of scanning the projects once per facet."""
    rows = db.session.execute(
        select(Project.status, Project.health, Project.goal_area_id, func.count(Project.id))
        .where(*_conditions(filters, PROJECT_COLUMN_FILTERS))
        .group_by(Project.status, Project.health, Project.goal_area_id)
    )
    return [
        Group(status, health, area_id, period_of.get(area_id), count)
        for status, health, area_id, count in rows
    ]


def _column_counts(groups: list[Group], filters: ProjectFilters, name: str) -> dict:
    counts: dict = {}
    for group in groups:
        if passes(group, filters, skip=name):
            key = getattr(group, name)
            counts[key] = counts.get(key, 0) + group.count
    return counts


def _named_options(counts: dict, names: dict) -> list[tuple]:
    """(id, name, count) for the values that have projects, by name."""
    return sorted(
        ((key, names[key], count) for key, count in counts.items() if count and key in names),
        key=lambda option: (option[1], option[0]),
    )


def _year_facet(filters: ProjectFilters) -> list[tuple]:
    """Counts per year a project runs in, from the projects grouped by start and end year."""
    start_year = func.extract("year", Project.starts_on)
    end_year = func.extract("year", Project.ends_on)
    return years(
        [
            (int(first), int(last) if last is not None else None, count)
            for first, last, count in db.session.execute(
                select(start_year, end_year, func.count(Project.id))
                .where(Project.starts_on.is_not(None), *_conditions(filters, "year"))
                .group_by(start_year, end_year)
            )
        ]
    )


def _page_of_projects(conditions, sort: str, per_page: int, page: int) -> list:
    lead = aliased(User)
    return db.session.execute(
        select(
            Project.slug,
            Project.title,
            Project.status,
            Project.health,
            Project.starts_on,
            Project.ends_on,
            GoalArea.name.label("goal_area"),
            lead.name.label("lead"),
        )
        .join(GoalArea, GoalArea.id == Project.goal_area_id)
        .outerjoin(lead, lead.id == Project.lead_id)
        .where(*conditions)
        .order_by(*SORTS[sort])
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()


def project_list(filters: ProjectFilters, per_page: int = PER_PAGE) -> ProjectListPage:
    """The page of projects with the total and every filter's counts: from the kept counts
    (portal/projects/list_counts.py), or counted from the projects when two or more of the
    multi-valued filters apply."""
    areas = db.session.execute(
        select(GoalArea.id, GoalArea.name, PlanPeriod.id, PlanPeriod.name).join(
            PlanPeriod, PlanPeriod.id == GoalArea.plan_period_id
        )
    ).all()
    period_of = {area_id: period_id for area_id, _, period_id, _ in areas}
    kept = counted(filters, period_of)
    if kept is not None:
        groups, multi_valued = kept.groups, counted_options(kept.values)
    else:
        groups, multi_valued = _column_groups(filters, period_of), _counted_facets(filters)
    total = sum(group.count for group in groups if passes(group, filters))
    pages = max((total + per_page - 1) // per_page, 1)
    page = min(filters.page, pages)
    projects = _page_of_projects(_conditions(filters), filters.sort, per_page, page)
    status_counts = _column_counts(groups, filters, "status")
    health_counts = _column_counts(groups, filters, "health")
    area_names = {area_id: name for area_id, name, _, _ in areas}
    period_names = {period_id: name for _, _, period_id, name in areas}
    facets = {
        "plan_period": _named_options(_column_counts(groups, filters, "plan_period"), period_names),
        "goal_area": _named_options(_column_counts(groups, filters, "goal_area"), area_names),
        "status": [
            (key, str(label), status_counts.get(key, 0)) for key, label in PROJECT_STATUSES.items()
        ],
        "health": [
            (key, str(label), health_counts.get(key, 0)) for key, label in PROJECT_HEALTH.items()
        ],
        **multi_valued,
    }
    return ProjectListPage(
        filters=filters,
        projects=projects,
        total=total,
        page=page,
        pages=pages,
        facets={name: Facet(name, options) for name, options in facets.items()},
    )


def _counted_facets(filters: ProjectFilters) -> dict[str, list[tuple]]:
    """The multi-valued filters' options counted from the projects and their link tables."""
    return {
        "municipality": [
            (name, name, count)
            for name, _, count in _counted(
                Organisation.municipality_name,
                Organisation.municipality_name,
                filters,
                "municipality",
                (ProjectParticipant, ProjectParticipant.project_id == Project.id),
                (
                    Organisation,
                    and_(
                        Organisation.id == ProjectParticipant.organisation_id,
                        Organisation.municipality_name.is_not(None),
                    ),
                ),
                through=ProjectParticipant.project_id,
            )
        ],
        "funder": _counted(
            Organisation.id,
            Organisation.name,
            filters,
            "funder",
            (Grant, Grant.project_id == Project.id),
            (Organisation, Organisation.id == Grant.funder_id),
            through=Grant.project_id,
        ),
        "target_group": _counted(
            TargetGroup.id,
            TargetGroup.name,
            filters,
            "target_group",
            (project_target_groups, project_target_groups.c.project_id == Project.id),
            (TargetGroup, TargetGroup.id == project_target_groups.c.target_group_id),
            through=project_target_groups.c.project_id,
            order=(TargetGroup.position, TargetGroup.name),
        ),
        "year": _year_facet(filters),
    }
