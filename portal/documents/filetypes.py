"""What an uploaded file is, decided by its content alone: never by its name or the type the
browser claims. `filetype` reads the magic bytes of PDF and images, `olefile` the streams of
legacy Office files, zipfile the parts of OOXML and OpenDocument packages; text is text when it
decodes and has no control characters. HTML, SVG and other markup are refused, so nothing the
portal serves can run as a page in the portal's origin."""

import codecs
import csv
import zipfile
from pathlib import Path

import filetype
import olefile

from portal.core.errors import ValidationError
from portal.core.i18n import _l

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
PPT = "application/vnd.ms-powerpoint"
TEXT = "text/plain"
CSV = "text/csv"

# What people see in lists: the kind of file, for each type the portal takes.
KINDS = {
    PDF: "PDF",
    DOCX: "Word",
    XLSX: "Excel",
    PPTX: "PowerPoint",
    DOC: "Word 97–2003",
    XLS: "Excel 97–2003",
    PPT: "PowerPoint 97–2003",
    ODT: "OpenDocument Text",
    ODS: "OpenDocument Kalkyl",
    ODP: "OpenDocument Presentation",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/gif": "GIF",
    "image/webp": "WebP",
    TEXT: _l("Text"),
    CSV: "CSV",
}
# filetype's answers we take as they are (APNG is a PNG to everyone else).
MAGIC = {
    "application/pdf": PDF,
    "image/png": "image/png",
    "image/apng": "image/png",
    "image/jpeg": "image/jpeg",
    "image/gif": "image/gif",
    "image/webp": "image/webp",
}
# The main part that tells a Word, Excel or PowerPoint package apart.
OOXML_PARTS = (
    ("word/document.xml", DOCX),
    ("xl/workbook.xml", XLSX),
    ("ppt/presentation.xml", PPTX),
)
ODF = (ODT, ODS, ODP)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_STREAMS = (
    ("WordDocument", DOC),
    ("Workbook", XLS),
    ("Book", XLS),
    ("PowerPoint Document", PPT),
)
TEXT_SAMPLE = 64 * 1024
MARKUP = ("<!doctype html", "<html", "<svg", "<script", "<?xml", "<body", "<iframe")

NOT_ALLOWED = _l(
    "Portalen tar emot PDF, Word, Excel, PowerPoint, OpenDocument, bilder (PNG, JPEG, GIF, "
    "WebP), text och CSV. Filens innehåll är inget av dem."
)
IS_MARKUP = _l(
    "Filen innehåller HTML, SVG eller annan märkkod, oavsett vad den heter. Sådana filer tar "
    "portalen inte emot; spara den som PDF i stället."
)
HAS_MACROS = _l(
    "Filen innehåller makron. Spara den utan makron (till exempel .docx) och försök igen."
)
EMPTY = _l("Filen är tom.")


def sniff(path: Path) -> str:
    """The file's type from the list above, or a ValidationError for the upload field."""
    with path.open("rb") as file:
        head = file.read(8192)
    if not head:
        raise ValidationError(EMPTY, field="file")
    if head.startswith(b"PK\x03\x04"):
        return _package_type(path)
    if head.startswith(OLE_MAGIC):
        return _legacy_office_type(path)
    guessed = filetype.guess(head)
    if guessed is not None:
        if guessed.mime in MAGIC:
            return MAGIC[guessed.mime]
        raise ValidationError(NOT_ALLOWED, field="file")
    return _text_type(path)


def _package_type(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.getinfo("mimetype").file_size <= 100:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                if declared in ODF:
                    return declared
            if "[Content_Types].xml" in names:
                if any(name.lower().endswith("vbaproject.bin") for name in names):
                    raise ValidationError(HAS_MACROS, field="file")
                for part, mime in OOXML_PARTS:
                    if part in names:
                        return mime
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        pass
    raise ValidationError(NOT_ALLOWED, field="file")


def _legacy_office_type(path: Path) -> str:
    try:
        with olefile.OleFileIO(str(path)) as ole:
            for stream, mime in OLE_STREAMS:
                if ole.exists(stream):
                    return mime
    except Exception:  # noqa: BLE001 - any file olefile cannot read is simply not Office
        pass
    raise ValidationError(NOT_ALLOWED, field="file")


def _text_type(path: Path) -> str:
    with path.open("rb") as file:
        sample = file.read(TEXT_SAMPLE + 1)
    complete = len(sample) <= TEXT_SAMPLE
    text = _decoded(sample[:TEXT_SAMPLE], complete)
    if text is None:
        raise ValidationError(NOT_ALLOWED, field="file")
    start = text.lstrip("\ufeff \t\r\n\f").lower()
    if start.startswith("<") or any(tag in start[:1024] for tag in MARKUP):
        raise ValidationError(IS_MARKUP, field="file")
    return CSV if _is_csv(text) else TEXT


def _decoded(sample: bytes, complete: bool) -> str | None:
    """The sample as text (UTF-8, else Windows-1252 as Excel saves Swedish CSV), or None."""
    if b"\x00" in sample:
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(sample, final=complete)
        except UnicodeDecodeError:
            continue
        if all(char.isprintable() or char in "\t\r\n\f" for char in text):
            return text
        return None
    return None


def _is_csv(text: str) -> bool:
    """At least two rows that a delimiter splits into the same number (two or more) of columns."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if len(lines) < 2:
        return False
    try:
        dialect = csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t")
    except csv.Error:
        return False
    widths = {len(row) for row in csv.reader(lines, dialect)}
    return len(widths) == 1 and widths.pop() > 1
