"""Read a PDF the way a person or a screen reader would: its text, title and language.

Uses poppler's `pdftotext` and `pdfinfo` (Debian's poppler-utils); without them the tests that
read PDFs skip on a laptop and fail under CI=true, like every other required service.
"""

import subprocess
import tempfile
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader

from tests.services import binary, require_service


def _run(tool: str, pdf: bytes, *args: str) -> str:
    path = binary(tool)
    require_service(path is not None, f"{tool} (poppler-utils)")
    with tempfile.TemporaryDirectory(prefix="portal-pdf-") as folder:
        source = Path(folder) / "document.pdf"
        source.write_bytes(pdf)
        result = subprocess.run(
            [path, *args, str(source), "-"] if tool == "pdftotext" else [path, str(source)],
            capture_output=True,
            check=True,
            timeout=60,
        )
    return result.stdout.decode("utf-8")


def pdf_text(pdf: bytes) -> str:
    """The text pdftotext finds, with lines joined by single spaces."""
    return " ".join(_run("pdftotext", pdf, "-enc", "UTF-8").split())


@dataclass(frozen=True)
class Word:
    """A word as pdftotext places it: page (from 1), its text and its box in points."""

    page: int
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    words: list[Word]


def pdf_pages(pdf: bytes) -> list[Page]:
    """Every page's size and word boxes (`pdftotext -bbox-layout`), in points from the top left."""
    document = ElementTree.fromstring(_run("pdftotext", pdf, "-bbox-layout", "-enc", "UTF-8"))
    pages = []
    for number, page in enumerate(document.iter("{http://www.w3.org/1999/xhtml}page"), start=1):
        words = [
            Word(
                number,
                word.text or "",
                *(float(word.get(edge, 0)) for edge in ("xMin", "yMin", "xMax", "yMax")),
            )
            for word in page.iter("{http://www.w3.org/1999/xhtml}word")
        ]
        pages.append(Page(number, float(page.get("width", 0)), float(page.get("height", 0)), words))
    return pages


def pdf_info(pdf: bytes) -> dict[str, str]:
    """pdfinfo's fields: Title, Tagged, Pages, …"""
    fields = {}
    for line in _run("pdfinfo", pdf).splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    return fields


def pdf_language(pdf: bytes) -> str | None:
    """The document language in the catalog (/Lang), as a screen reader reads it."""
    lang = PdfReader(BytesIO(pdf)).trailer["/Root"].get("/Lang")
    return str(lang) if lang is not None else None


def is_pdf(data: bytes) -> bool:
    return data.startswith(b"%PDF-")
