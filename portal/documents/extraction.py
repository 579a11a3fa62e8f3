"""Plain text of a PDF, DOCX, ODT or text file, for search.

pypdf reads PDF (pure Python, actively kept). DOCX and ODT are both zip packages whose words
sit in one XML part (word/document.xml, content.xml): reading that part with defusedxml (which
refuses entity tricks) gives every paragraph, tables included, in a few lines, where
python-docx would add lxml for the same words and odfpy has not been released since 2020."""

import zipfile
from pathlib import Path

from defusedxml import ElementTree
from pypdf import PdfReader

from portal.documents.filetypes import CSV, DOCX, ODT, PDF, TEXT

MAX_CHARS = 2_000_000
MAX_XML_BYTES = 64 * 1024 * 1024
WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ODF_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def text_of(path: Path, mime_type: str) -> str:
    """The file's words, paragraphs on their own lines; "" for types without text."""
    if mime_type == PDF:
        text = _pdf(path)
    elif mime_type == DOCX:
        text = _paragraphs(path, "word/document.xml", [WORD + "p"], word=True)
    elif mime_type == ODT:
        text = _paragraphs(path, "content.xml", [ODF_TEXT + "h", ODF_TEXT + "p"], word=False)
    elif mime_type in (TEXT, CSV):
        text = _plain(path)
    else:
        return ""
    # PostgreSQL text cannot hold NUL; PDFs sometimes carry it.
    return text.replace("\x00", "")[:MAX_CHARS].strip()


def _pdf(path: Path) -> str:
    parts, length = [], 0
    for page in PdfReader(path).pages:
        page_text = page.extract_text() or ""
        parts.append(page_text)
        length += len(page_text)
        if length >= MAX_CHARS:
            break
    return "\n".join(parts)


def _paragraphs(path: Path, part: str, tags: list[str], word: bool) -> str:
    with zipfile.ZipFile(path) as archive:
        if archive.getinfo(part).file_size > MAX_XML_BYTES:
            return ""
        with archive.open(part) as stream:
            tree = ElementTree.parse(stream)
    lines = []
    for tag in tags:
        for paragraph in tree.iter(tag):
            if word:
                lines.append("".join(node.text or "" for node in paragraph.iter(WORD + "t")))
            else:
                lines.append("".join(paragraph.itertext()))
    return "\n".join(line for line in lines if line.strip())


def _plain(path: Path) -> str:
    with path.open("rb") as file:
        data = file.read(MAX_CHARS)
    try:
        return data.decode("utf-8-sig", errors="strict")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
