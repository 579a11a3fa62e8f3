"""How documents and folders read in the history and the admins' change log (registered
with `portal.core.audit_text` when documents is imported)."""

from portal.core.audit_text import (
    DATE,
    NUMBER,
    Entity,
    Field,
    name_loader,
    register_entity,
    register_names,
)
from portal.core.i18n import _l
from portal.documents.models import RETENTIONS, VISIBILITIES, Document, DocumentFolder

FOLDERS = "document_folder"


def register() -> None:
    register_names("document", name_loader(Document.id, Document.title))
    register_names(FOLDERS, name_loader(DocumentFolder.id, DocumentFolder.name))
    register_entity(
        "document",
        Entity(
            _l("Dokument"),
            _l("Dokumentet %(name)s"),
            _l("Ett dokument"),
            {
                "title": Field(_l("Titel")),
                "description": Field(_l("Beskrivning")),
                "folder_id": Field(_l("Mapp"), names=FOLDERS),
                "project_id": Field(_l("Projekt"), names="project"),
                "visibility": Field(_l("Vem som ser dokumentet"), choices=VISIBILITIES),
                "case_number": Field(_l("Diarienummer")),
                "document_date": Field(_l("Dokumentets datum"), DATE),
                "retention": Field(_l("Bevarande"), choices=RETENTIONS),
                "retention_years": Field(_l("Gallras efter år"), NUMBER),
                "version": Field(_l("Version"), NUMBER),
                "filename": Field(_l("Fil")),
            },
            name_field="title",
            names="document",
        ),
    )
    register_entity(
        "document_folder",
        Entity(
            _l("Mapp"),
            _l("Mappen %(name)s"),
            _l("En mapp"),
            {"name": Field(_l("Namn")), "position": Field(_l("Plats i ordningen"), NUMBER)},
            name_field="name",
            names=FOLDERS,
        ),
    )


register()
