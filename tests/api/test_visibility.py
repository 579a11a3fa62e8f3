"""A token reads exactly what its owner reads on the pages: for each role, and for a member of
another organisation, the ids the API lists are the ids the pages' own queries give."""

import pytest
from sqlalchemy import select, true

from portal.calendar.queries import calendar_for
from portal.core.dates import utcnow
from portal.documents.access import readable_with_current
from portal.extensions import db
from portal.news.models import NewsItem
from portal.news.services import news_for
from portal.projects.models import Project
from portal.projects.queries import ProjectFilters, project_list
from tests.api.factories import bearer, make_token
from tests.calendar.factories import make_event, swedish
from tests.documents.factories import make_document
from tests.factories import make_organisation, make_user
from tests.projects import factories as project_factories


def _news(**fields) -> None:
    values = {"title": "Nytt", "body": "Text", "status": "published", "publish_at": utcnow()}
    db.session.add(NewsItem(**{**values, **fields}))


def make_world():
    """Rows for everyone, for Kramfors only, for Timrå's project only, and a draft; returns
    the readers: a member of Kramfors, a member of Timrå, staff and an admin."""
    kramfors, timra = make_organisation("Kramfors bibliotek"), make_organisation("Timrå bibliotek")
    project = project_factories.make_project("Läslust i Timrå", participants=[timra])
    project_factories.make_project("Bokstart")
    author = make_user(role="staff")
    _news(audience="everyone")
    _news(audience="organisations", organisations=[kramfors])
    _news(audience="project", audience_project=project)
    _news(audience="everyone", status="draft", publish_at=None)
    db.session.commit()
    make_document(author, "Plan för alla")
    make_document(author, "Kramfors", visibility="organisations", organisation_ids=[kramfors.id])
    make_document(author, "Projektets", visibility="project", project_id=project.id)
    make_event(audience="everyone")
    make_event(audience="organisations", organisations=[kramfors])
    make_event(
        audience="project",
        audience_project=project,
        starts_at=swedish(2027, 3, 12, 9),
        ends_at=swedish(2027, 3, 12, 12),
    )
    return {
        "member of Kramfors": make_user(organisation=kramfors),
        "member of Timrå": make_user(organisation=timra),
        "staff": make_user(role="staff"),
        "admin": make_user(role="admin"),
    }


def page_ids(user) -> dict[str, set[int]]:
    """What the pages show the user: the project list, the news list, the documents, and the
    calendar's events in March 2027."""
    slugs = {row.slug for row in project_list(ProjectFilters()).projects}
    calendar = calendar_for(user, "2027-03", "handelser")
    return {
        "projects": set(db.session.scalars(select(Project.id).where(Project.slug.in_(slugs)))),
        "news": {item.id for item in news_for(user).items},
        "documents": {document.id for document, _ in readable_with_current(user, true())},
        "events": {entry.event_id for month in calendar.months for entry in month.entries},
    }


def api_ids(client, user) -> dict[str, set[int]]:
    headers = bearer(make_token(user))
    lists = {
        name: client.get(f"/api/v1/{name}?limit=200", headers=headers).get_json()
        for name in ("projects", "news", "documents", "events")
    }
    return {name: {row["id"] for row in body["data"]} for name, body in lists.items()}


@pytest.mark.both_databases  # the permission queries, on both databases
def test_each_role_reads_through_the_api_the_ids_its_pages_show(client):
    readers = make_world()
    seen = {}
    for role, user in readers.items():
        seen[role] = api_ids(client, user)
        assert seen[role] == page_ids(user), role
    # The control: the roles do not all see the same, so the comparison could fail.
    assert seen["member of Kramfors"]["news"] != seen["member of Timrå"]["news"]
    assert seen["member of Kramfors"]["documents"] != seen["member of Timrå"]["documents"]
    assert seen["member of Timrå"]["events"] < seen["staff"]["events"]
