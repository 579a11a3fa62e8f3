"""The read API's behaviour: projects with their money in öre, cursor pages, ETags, the
statistics for staff, document downloads, and errors as problem+json."""

from datetime import date
from decimal import Decimal

import pytest

from portal.extensions import db
from portal.projects.models import Indicator, Measurement, Milestone, ProgressUpdate
from tests.api.factories import bearer, make_token
from tests.documents.factories import make_document, plan_pdf
from tests.factories import make_organisation, make_user
from tests.projects import factories as project_factories
from tests.projects import funding_factories


def reader_headers(role: str = "member") -> dict:
    return bearer(make_token(make_user(role=role)))


@pytest.mark.both_databases  # grouped sums and a window function for the latest status
def test_a_project_has_its_grants_in_ore_its_budget_totals_and_iso_dates(client):
    project = funding_factories.funded_project()
    project.milestones.append(Milestone(title="Start", due_on=date(2016, 3, 1)))
    author = make_user()
    for day, text in ((2, "Senare"), (1, "Först")):
        project.updates.append(
            ProgressUpdate(
                author=author, reported_on=date(2016, 5, day), text=text, health="at_risk"
            )
        )
    project.indicators.append(
        Indicator(
            name="Besök",
            unit="besök",
            target=Decimal(100),
            measurements=[Measurement(measured_on=date(2016, 4, 1), value=Decimal("12.5"))],
        )
    )
    db.session.commit()
    response = client.get(f"/api/v1/projects/{project.id}", headers=reader_headers())
    assert response.status_code == 200
    body = response.get_json()
    assert body["slug"] == project.slug
    assert body["grants"][0]["amount_ore"] == 600_000_00
    assert body["grants"][0]["decided_on"] == "2015-11-20"
    assert body["budget"]["granted_ore"] == 600_000_00
    assert body["budget"]["financing_ore"] == 700_000_00
    assert body["milestones"] == [
        {"id": project.milestones[0].id, "title": "Start", "due_on": "2016-03-01", "done_on": None}
    ]
    assert body["latest_status"] == {
        "reported_on": "2016-05-02",
        "health": "at_risk",
        "text": "Senare",
    }
    indicator = body["indicators"][0]
    assert indicator["target"] == 100
    assert [(m["measured_on"], m["value"]) for m in indicator["measurements"]] == [
        ("2016-04-01", 12.5)
    ]


def test_lists_are_paged_by_cursor_without_repeating_a_row(client):
    area = project_factories.make_goal_area()
    made = {project_factories.make_project(goal_area=area).id for _ in range(3)}
    headers = reader_headers()
    first = client.get("/api/v1/projects?limit=2", headers=headers).get_json()
    assert len(first["data"]) == 2 and first["next_cursor"]
    second = client.get(
        f"/api/v1/projects?limit=2&cursor={first['next_cursor']}", headers=headers
    ).get_json()
    assert second["next_cursor"] is None
    assert {row["id"] for row in first["data"] + second["data"]} == made


def test_a_bad_limit_or_cursor_is_a_400_problem(client):
    headers = reader_headers()
    for query in ("limit=0", "limit=201", "limit=tio", "cursor=inte-min"):
        response = client.get(f"/api/v1/projects?{query}", headers=headers)
        assert response.status_code == 400
        assert response.mimetype == "application/problem+json"


def test_an_unchanged_answer_is_304_with_its_etag(client):
    project_factories.make_project()
    headers = reader_headers()
    first = client.get("/api/v1/projects", headers=headers)
    etag = first.headers["ETag"]
    again = client.get("/api/v1/projects", headers={**headers, "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    project_factories.make_project()
    changed = client.get("/api/v1/projects", headers={**headers, "If-None-Match": etag})
    assert changed.status_code == 200


def test_an_unknown_project_or_address_is_a_404_problem(client):
    headers = reader_headers()
    for path in ("/api/v1/projects/999999", "/api/v1/finns-inte", "/api/v1", "/api/v1/"):
        response = client.get(path, headers=headers)
        assert response.status_code == 404
        assert response.get_json()["title"] == "Not Found"


def test_the_statistics_tables_are_for_staff_only(client):
    funding_factories.funded_project()
    assert client.get("/api/v1/statistics", headers=reader_headers()).status_code == 403
    response = client.get("/api/v1/statistics", headers=reader_headers("staff"))
    assert response.status_code == 200
    tables = {table["slug"]: table for table in response.get_json()["tables"]}
    assert tables["finansiering-per-finansiar"]["rows"][0][1] == 600_000_00


def test_plan_periods_goal_areas_and_organisations_are_listed(client):
    area = project_factories.make_goal_area("Läsfrämjande")
    headers = reader_headers()
    periods = client.get("/api/v1/plan-periods", headers=headers).get_json()["data"]
    assert [a["name"] for p in periods for a in p["goal_areas"]] == ["Läsfrämjande"]
    areas = client.get("/api/v1/goal-areas", headers=headers).get_json()["data"]
    assert [a["id"] for a in areas] == [area.id]
    organisations = client.get("/api/v1/organisations", headers=headers).get_json()["data"]
    assert organisations == []


def test_a_document_downloads_as_on_its_page(client):
    author = make_user(role="staff")
    document = make_document(author, "Verksamhetsplan")
    headers = reader_headers()
    meta = client.get(f"/api/v1/documents/{document.id}", headers=headers).get_json()
    assert meta["current_version"]["filename"] == "plan.pdf"
    response = client.get(meta["download_url"], headers=headers)
    assert response.status_code == 200
    assert response.data == plan_pdf()
    assert response.headers["Content-Disposition"].startswith("attachment")


def test_a_document_the_reader_may_not_read_is_a_404(client):
    author = make_user(role="staff")
    kramfors = make_organisation("Kramfors bibliotek")
    hidden = make_document(
        author, "Bara för Kramfors", visibility="organisations", organisation_ids=[kramfors.id]
    )
    headers = reader_headers()
    assert client.get(f"/api/v1/documents/{hidden.id}", headers=headers).status_code == 404
    path = f"/api/v1/documents/{hidden.id}/download"
    assert client.get(path, headers=headers).status_code == 404


def test_too_many_requests_with_one_token_get_429(app, client):
    app.config["API_RATE_LIMIT"] = "2 per minute"
    headers = reader_headers()
    assert [client.get("/api/v1/goal-areas", headers=headers).status_code for _ in range(3)] == [
        200,
        200,
        429,
    ]
    refused = client.get("/api/v1/goal-areas", headers=headers)
    assert refused.mimetype == "application/problem+json"
    assert int(refused.headers["Retry-After"]) > 0
    assert client.get("/api/v1/goal-areas", headers=reader_headers()).status_code == 200


def test_the_api_answers_only_get(client):
    response = client.post("/api/v1/projects", headers=reader_headers())
    assert response.status_code == 405
    assert response.mimetype == "application/problem+json"
    assert "GET" in response.headers["Allow"]
