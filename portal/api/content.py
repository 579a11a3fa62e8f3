"""News, documents (metadata and download) and calendar events: each list filtered by the
same condition its pages filter with (`news.services.audience_includes` and `is_out`,
`documents.access.visible_to`, `calendar.services.audience_includes`), so a token reads
exactly what its owner reads."""

from flask import abort, url_for
from sqlalchemy import and_, select
from sqlalchemy.orm import selectinload

from portal.api import schemas
from portal.api.auth import reader
from portal.api.operations import operation
from portal.api.paging import json_response, paged
from portal.calendar import services as calendar_services
from portal.calendar.models import Event
from portal.core.dates import utcnow
from portal.documents import access
from portal.documents.models import Document, DocumentVersion
from portal.documents.routes import send_version
from portal.extensions import db
from portal.news import services as news_services
from portal.news.models import NewsItem


def _news_item(item: NewsItem) -> schemas.NewsItem:
    return schemas.NewsItem(
        id=item.id,
        title=item.title,
        body=item.body,
        pinned=item.pinned,
        published_at=item.publish_at,
        author_name=item.author.name if item.author else None,
        goal_area_ids=sorted(area.id for area in item.goal_areas),
        project_ids=sorted(project.id for project in item.projects),
        url=url_for("news.news_item", news_id=item.id, _external=True),
    )


@operation(
    "/news", "Published news the token's owner may read", "news", schemas.NewsPage, paged=True
)
def news():
    query = select(NewsItem).where(
        news_services.is_out(utcnow()), news_services.audience_includes(reader())
    )
    rows, cursor = paged(
        query.options(
            selectinload(NewsItem.author),
            selectinload(NewsItem.goal_areas),
            selectinload(NewsItem.projects),
        ),
        NewsItem.id,
    )
    return json_response(
        schemas.NewsPage(data=[_news_item(item) for item in rows], next_cursor=cursor)
    )


@operation("/news/<id:news_id>", "One news item", "news", schemas.NewsItem)
def news_item(news_id: int):
    item = news_services.readable_item(reader(), news_id)
    if item is None:
        abort(404)
    return json_response(_news_item(item))


def _current(document: Document) -> DocumentVersion:
    return next(version for version in document.versions if version.is_current)


def _document(document: Document) -> schemas.Document:
    version = _current(document)
    return schemas.Document(
        id=document.id,
        title=document.title,
        description=document.description,
        folder_id=document.folder_id,
        project_id=document.project_id,
        visibility=document.visibility,
        case_number=document.case_number,
        document_date=document.document_date,
        created_at=document.created_at,
        updated_at=document.updated_at,
        current_version=schemas.DocumentVersion.model_validate(version),
        download_url=url_for("api.document_download", document_id=document.id, _external=True),
        url=url_for("documents.document", document_id=document.id, _external=True),
    )


def _readable_documents():
    """The documents the reader may read that have a current version, as the pages list them
    (`access.readable_with_current`)."""
    has_current = select(DocumentVersion.id).where(
        and_(DocumentVersion.document_id == Document.id, DocumentVersion.is_current)
    )
    return select(Document).where(has_current.exists(), access.visible_to(reader()))


@operation(
    "/documents",
    "Documents' metadata, as the token's owner may read them",
    "documents",
    schemas.DocumentPage,
    paged=True,
)
def documents():
    rows, cursor = paged(
        _readable_documents().options(selectinload(Document.versions)), Document.id
    )
    return json_response(
        schemas.DocumentPage(data=[_document(row) for row in rows], next_cursor=cursor)
    )


@operation("/documents/<id:document_id>", "One document's metadata", "documents", schemas.Document)
def document(document_id: int):
    found = db.session.scalar(
        _readable_documents()
        .where(Document.id == document_id)
        .options(selectinload(Document.versions))
    )
    if found is None:
        abort(404)
    return json_response(_document(found))


@operation("/documents/<id:document_id>/download", "The current version's file", "documents", None)
def document_download(document_id: int):
    """The same check and the same file as the page's download."""
    found = access.readable_document(reader(), document_id)
    if found is None:
        abort(404)
    return send_version(found, None)


def _event(event: Event) -> schemas.Event:
    return schemas.Event(
        id=event.id,
        title=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        all_day=event.all_day,
        place=event.place,
        description=event.description,
        audience=event.audience,
        url=url_for("calendar.event", event_id=event.id, _external=True),
    )


@operation(
    "/events",
    "Calendar events the token's owner may see",
    "calendar",
    schemas.EventPage,
    paged=True,
)
def events():
    query = select(Event).where(calendar_services.audience_includes(reader()))
    rows, cursor = paged(query, Event.id)
    return json_response(schemas.EventPage(data=[_event(row) for row in rows], next_cursor=cursor))


@operation("/events/<id:event_id>", "One calendar event", "calendar", schemas.Event)
def event(event_id: int):
    found = calendar_services.readable_event(reader(), event_id)
    if found is None:
        abort(404)
    return json_response(_event(found))
