"""Telling a project's people that a document was added to it, as each of them chose for
"documents in my projects"."""

from collections.abc import Callable

from flask import current_app

from portal.accounts.models import User
from portal.core.i18n import _l
from portal.documents.models import Document, DocumentVersion
from portal.notifications.preferences import notify
from portal.projects.progress.updates import recipients


def tell_project_about(
    actor: User,
    document: Document,
    version: DocumentVersion,
    readable_document: Callable[[User, int], Document | None],
) -> None:
    """The lead, the team and the followers who may read the document, without the uploader.

    A follower from another library does not hear of a document kept for the team: the check
    is `readable_document`, passed in by the service, the same the document page uses.
    """
    project = document.project
    if project is None:
        return
    readers = [
        person
        for person in recipients(project, actor)
        if readable_document(person, document.id) is not None
    ]
    if version.number == 1:
        subject = _l("Nytt dokument i %(title)s", title=project.title)
    else:
        subject = _l("Ny version av ett dokument i %(title)s", title=project.title)
    base = current_app.config["PORTAL_BASE_URL"].rstrip("/")
    notify(
        readers,
        "documents",
        "document_added",
        subject,
        link=f"{base}/dokument/{document.id}",
        summary=document.title,
        author=actor,
        project=project,
        document=document,
        version=version,
    )
