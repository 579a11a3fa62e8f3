"""Seed a benchmark database: projects with grants, updates and indicators, users, and news
with comments for the search.

Rows go in with bulk INSERTs in batches (SQLAlchemy Core executemany), not one ORM object at a
time, so 100 000 projects take tens of seconds rather than an hour.
"""

import random
from datetime import date, timedelta

from sqlalchemy import insert, select

from portal.accounts.mfa.services import set_known_totp, totp_factor
from portal.accounts.models import Organisation, User
from portal.accounts.passwords import hash_password
from portal.core.dates import utcnow
from portal.demo import load_demo
from portal.extensions import db
from portal.news.models import NewsComment, NewsItem, news_organisations
from portal.projects.models import (
    GoalArea,
    Grant,
    Indicator,
    Measurement,
    PlanPeriod,
    ProgressUpdate,
    Project,
    ProjectParticipant,
    TargetGroup,
    project_target_groups,
    project_team,
)

BATCH = 5_000
BENCH_PASSWORD = "bänkprov-i-västernorrland-2026"
BENCH_EMAIL = "bench1@bibliotek.example"
BENCH_STAFF_EMAIL = "bench0@bibliotek.example"  # every tenth bench user is staff
# The authenticator-app key of the bench's staff who log in (staff must have a second factor);
# the bench computes their codes from it.
BENCH_TOTP_SECRET = "BENCHPERSONALVASTERNORRLANDKODAA"
STATUSES = ["idea", "planned", "running", "running", "running", "finished"]
HEALTH = ["on_track", "on_track", "at_risk", "off_track"]


def _batches(rows_factory, total: int):
    for start in range(0, total, BATCH):
        yield [rows_factory(n) for n in range(start, min(start + BATCH, total))]


def give_bench_keys(*emails: str) -> None:
    """The bench's key for these accounts' apps, where they have none (a kept database seeded
    before the second factor too)."""
    for email in emails:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None and totp_factor(user) is None:
            set_known_totp(user, BENCH_TOTP_SECRET)
    db.session.commit()


def _insert(table, rows_factory, total: int) -> None:
    for rows in _batches(rows_factory, total):
        db.session.execute(insert(table), rows)
    db.session.commit()


def seed(projects: int, users: int, rng: random.Random, news: int = 0) -> str:
    """Fill the database; returns the email of a member whose dashboard has projects."""
    load_demo()
    organisations = db.session.execute(
        select(Organisation.id, Organisation.kind, Organisation.municipality_name)
    ).all()
    libraries = [o.id for o in organisations if o.kind == "municipal_library"]
    funders = [o.id for o in organisations if o.kind == "funder"]
    goal_areas = list(db.session.scalars(select(GoalArea.id)))
    if not goal_areas:
        period = PlanPeriod(
            name="Bänkplan", starts_on=date(2015, 1, 1), ends_on=date(2030, 12, 31), is_current=True
        )
        db.session.add(period)
        db.session.flush()
        for position, name in enumerate(["Samverkan", "Demokrati", "Läsfrämjande"]):
            db.session.add(GoalArea(plan_period_id=period.id, name=name, position=position))
        db.session.commit()
        goal_areas = list(db.session.scalars(select(GoalArea.id)))

    password_hash = hash_password(BENCH_PASSWORD)
    first_user = (db.session.scalar(select(db.func.max(User.id))) or 0) + 1
    _insert(
        User,
        lambda n: {
            "email": f"bench{n}@bibliotek.example",
            "name": f"Bänk Person {n}",
            "role": "member" if n % 10 else "staff",
            "organisation_id": libraries[n % len(libraries)],
            "password_hash": password_hash,
            "language": "sv",
            "active": True,
            "session_version": 1,
        },
        users,
    )
    staff_ids = list(range(first_user, first_user + users, 10))

    first_project = (db.session.scalar(select(db.func.max(Project.id))) or 0) + 1
    start = date(2015, 1, 1)

    def project_row(n: int) -> dict:
        begins = start + timedelta(days=rng.randrange(0, 3650))
        return {
            "slug": f"bank-projekt-{n}",
            "title": f"Bänkprojekt {n} om läsfrämjande",
            "summary": "Ett projekt för barn och unga i länet.",
            "description": "Beskrivning **med** Markdown.",
            "goal_area_id": goal_areas[n % len(goal_areas)],
            "status": STATUSES[n % len(STATUSES)],
            "health": HEALTH[n % len(HEALTH)],
            "health_reason": "",
            "starts_on": begins,
            "ends_on": begins + timedelta(days=rng.randrange(180, 1100)),
            "lead_id": staff_ids[n % len(staff_ids)],
            "version": 1,
        }

    _insert(Project, project_row, projects)
    pid = lambda n: first_project + n  # noqa: E731 (ids follow insertion order in a fresh table)
    _insert(
        ProjectParticipant,
        lambda n: {
            "project_id": pid(n // 2),
            "organisation_id": libraries[(n // 2 + n % 2 * 3) % len(libraries)],
            "role": "lead_applicant" if n % 2 == 0 else "partner",
        },
        projects * 2,
    )
    _insert(
        project_team,
        lambda n: {"project_id": pid(n), "user_id": first_user + 1 + (n * 7) % (users - 1)},
        projects,
    )
    _insert(
        Grant,
        lambda n: {
            "project_id": pid(n),
            "funder_id": funders[n % len(funders)],
            "case_number": f"KUR {2015 + n % 10}/{n}",
            "amount_ore": rng.randrange(50_000, 1_000_000) * 100,
            "decided_on": start + timedelta(days=n % 3650),
            "conditions": "",
        },
        projects,
    )
    target_groups = list(db.session.scalars(select(TargetGroup.id).order_by(TargetGroup.id)))
    per_project = 2 if len(target_groups) > 2 else 1
    if target_groups:  # for the statistics: one or two different target groups per project
        _insert(
            project_target_groups,
            lambda n: {
                "project_id": pid(n // per_project),
                "target_group_id": target_groups[
                    (n // per_project + n % per_project * 2) % len(target_groups)
                ],
            },
            projects * per_project,
        )
    first_update = (db.session.scalar(select(db.func.max(ProgressUpdate.id))) or 0) + 1
    _insert(
        ProgressUpdate,
        lambda n: {
            "project_id": pid(n // 3),
            "author_id": staff_ids[n % len(staff_ids)],
            "reported_on": start + timedelta(days=n % 3650),
            "text": "Vi har haft sagostund och bokprat.",
            "health": None,
        },
        projects * 3,
    )
    first_indicator = (db.session.scalar(select(db.func.max(Indicator.id))) or 0) + 1
    _insert(
        Indicator,
        lambda n: {
            "project_id": pid(n),
            "name": "Familjer som nåtts",
            "unit": "familjer",
            "target": 400,
        },
        projects,
    )
    _insert(
        Measurement,
        lambda n: {
            "indicator_id": first_indicator + n // 2,
            "update_id": first_update + (n // 2) * 3,
            "measured_on": start + timedelta(days=n % 3650),
            "value": rng.randrange(1, 60),
            "municipality": "Kramfors",
        },
        projects * 2,
    )
    _seed_news(news, libraries, staff_ids, first_project, projects)
    return BENCH_EMAIL


AUDIENCES = ["everyone", "everyone", "everyone", "organisations", "organisations", "project"]


def _seed_news(
    news: int, libraries: list[int], staff_ids: list[int], first_project: int, projects: int
):
    """News for everyone, for two libraries or for one project's people, half of them with
    a comment; their words overlap the projects', so a search meets both."""
    if not news:
        return
    first_news = (db.session.scalar(select(db.func.max(NewsItem.id))) or 0) + 1
    published = utcnow()
    _insert(
        NewsItem,
        lambda n: {
            "title": f"Nyhet {n} om läsfrämjandet" if n % 2 else f"Bokcirkel {n} i länet",
            "body": "Barnen i länet får **böcker** och sagostunder på biblioteket. " * 3,
            "author_id": staff_ids[n % len(staff_ids)],
            "status": "published" if n % 20 else "draft",
            "publish_at": published - timedelta(minutes=n),
            "pinned": False,
            "audience": AUDIENCES[n % len(AUDIENCES)],
            "audience_project_id": first_project + n % projects
            if AUDIENCES[n % len(AUDIENCES)] == "project"
            else None,
            "created_at": published,
            "updated_at": published,
        },
        news,
    )
    organisation_news = [n for n in range(news) if AUDIENCES[n % len(AUDIENCES)] == "organisations"]
    _insert(
        news_organisations,
        lambda i: {
            "news_id": first_news + organisation_news[i // 2],
            "organisation_id": libraries[(organisation_news[i // 2] + i % 2) % len(libraries)],
        },
        len(organisation_news) * 2,
    )
    _insert(
        NewsComment,
        lambda n: {
            "news_id": first_news + n * 2,
            "author_id": staff_ids[n % len(staff_ids)],
            "body": "Tack! Barnen i Ånge väntar redan på läsfrämjandet.",
            "created_at": published,
        },
        news // 2,
    )
