"""What the demo's people have written: news, calendar events, documents and a draft report
(regions/demo/news.toml, events.toml, documents.toml and reports.toml)."""

import io
from datetime import date

from sqlalchemy import select

from portal.accounts.models import User
from portal.calendar.models import Event
from portal.core.dates import utcnow
from portal.demo.datafiles import moment, read
from portal.documents import storage
from portal.documents.filetypes import PDF
from portal.documents.models import Document, DocumentFolder, DocumentVersion
from portal.documents.pdf import tiny_pdf
from portal.extensions import db
from portal.news.models import NewsItem
from portal.projects.models import GoalArea, PlanPeriod, Project
from portal.reports import services as report_services
from portal.reports.builtins import KULTURRADET_NAME, add_builtin_templates
from portal.reports.models import Report


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def project_by_slug(slug: str | None) -> Project | None:
    if slug is None:
        return None
    return db.session.scalar(select(Project).where(Project.slug == slug))


def current_goal_area(name: str) -> GoalArea | None:
    """The goal area of that name in the current plan, else in the latest plan that has one."""
    return db.session.scalar(
        select(GoalArea)
        .join(PlanPeriod, GoalArea.plan_period_id == PlanPeriod.id)
        .where(GoalArea.name == name)
        .order_by(PlanPeriod.is_current.desc(), PlanPeriod.starts_on.desc())
        .limit(1)
    )


def load_news(today: date) -> None:
    """The news items whose title is not there yet."""
    existing = set(db.session.scalars(select(NewsItem.title)))
    for spec in read("news")["news"]:
        if spec["title"] in existing:
            continue
        areas = [current_goal_area(name) for name in spec["goal_areas"]]
        tagged = project_by_slug(spec.get("project"))
        db.session.add(
            NewsItem(
                title=spec["title"],
                body=spec["body"],
                status=spec["status"],
                publish_at=moment(spec["publish_at"], today),
                pinned=spec["pinned"],
                author=user_by_email(spec["author"]),
                audience=spec["audience"],
                goal_areas=[area for area in areas if area],
                projects=[tagged] if tagged else [],
            )
        )


def load_events(today: date) -> None:
    """The events whose title is not there yet, dated from the day the demo is loaded."""
    existing = set(db.session.scalars(select(Event.title)))
    for spec in read("events")["events"]:
        if spec["title"] in existing:
            continue
        audience_project = project_by_slug(spec.get("project"))
        db.session.add(
            Event(
                title=spec["title"],
                starts_at=moment(spec["starts_at"], today),
                ends_at=moment(spec["ends_at"], today),
                all_day=spec["all_day"],
                place=spec["place"],
                description=spec["description"],
                audience="project" if audience_project else "everyone",
                audience_project=audience_project,
                author=user_by_email(spec["author"]),
            )
        )


def load_documents() -> None:
    """The documents, only into a portal that has none: small PDFs made now, their text
    already extracted."""
    if db.session.scalar(select(Document.id).limit(1)) is not None:
        return
    data = read("documents")
    folders = {
        spec["name"]: DocumentFolder(name=spec["name"], position=position)
        for position, spec in enumerate(data["folders"], start=1)
    }
    db.session.add_all(folders.values())
    for spec in data["documents"]:
        author = user_by_email(spec["author"])
        owner = project_by_slug(spec.get("project"))
        pdf = tiny_pdf(spec["title"], *spec["lines"])
        received = storage.receive(io.BytesIO(pdf), len(pdf))
        key = storage.keep(db.session(), received)
        version = DocumentVersion(
            number=1,
            is_current=True,
            filename=f"{spec['title']}.pdf",
            mime_type=PDF,
            size_bytes=received.size,
            sha256=received.sha256,
            storage_key=key,
            uploaded_by=author,
            extracted_text="\n".join([spec["title"], *spec["lines"]]),
            extracted_at=utcnow(),
        )
        db.session.add(
            Document(
                title=spec["title"],
                created_by=author,
                versions=[version],
                folder=folders[spec["folder"]] if "folder" in spec else None,
                project=owner,
                visibility="project" if owner else "everyone",
            )
        )


def load_report() -> None:
    """The built-in report templates, and the demo's draft report on the built-in Kulturrådet
    template, unless its project has a report already."""
    templates = {template.name: template for template in add_builtin_templates()}
    spec = read("reports")["report"]
    reported = project_by_slug(spec["project"])
    if reported is None or not reported.grants:
        return
    if db.session.scalar(select(Report.id).where(Report.project_id == reported.id)) is not None:
        return
    report_services.create_report(
        reported,
        grant=reported.grants[0],
        template=templates[KULTURRADET_NAME],
        kind=spec["kind"],
        period_starts_on=spec["period_starts_on"],
        period_ends_on=spec["period_ends_on"],
        actor=None,
    )
