"""Documents for tests: made through the service, so the file is really stored."""

import io
import zipfile

from portal.documents import services
from portal.documents.pdf import tiny_pdf
from portal.extensions import db

PLAN_TEXT = "Regional biblioteksplan 2015–2017"


def plan_pdf(*lines: str) -> bytes:
    return tiny_pdf(*(lines or (PLAN_TEXT, "Läsfrämjande för barn och unga")))


def make_document(
    actor, title: str = PLAN_TEXT, data: bytes | None = None, filename="plan.pdf", **fields
):
    document = services.upload_document(
        actor,
        services.DocumentFields(title=title, **fields),
        services.Upload(io.BytesIO(data if data is not None else plan_pdf()), filename),
    )
    db.session.commit()
    return document


def office_package(parts: dict[str, str], first: str | None = None) -> bytes:
    """A zip package with the given parts (OOXML or OpenDocument)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if first:
            archive.writestr(first, parts.pop(first), compress_type=zipfile.ZIP_STORED)
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx(*paragraphs: str) -> bytes:
    namespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs)
    return office_package(
        {
            "[Content_Types].xml": "<Types/>",
            "word/document.xml": f'<w:document xmlns:w="{namespace}"><w:body>{body}'
            "</w:body></w:document>",
        }
    )


def odt(*paragraphs: str) -> bytes:
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    body = "".join(f"<text:p>{line}</text:p>" for line in paragraphs)
    return office_package(
        {
            "mimetype": "application/vnd.oasis.opendocument.text",
            "content.xml": f'<office:document-content xmlns:office="{office}" '
            f'xmlns:text="{text}"><office:body><office:text>{body}</office:text>'
            "</office:body></office:document-content>",
        },
        first="mimetype",
    )
