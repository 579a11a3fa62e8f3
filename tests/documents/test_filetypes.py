"""The file's content decides its type; names and claimed types are ignored."""

import base64

import pytest

from portal.core.errors import ValidationError
from portal.documents import filetypes
from portal.documents.pdf import tiny_pdf
from tests.documents.factories import docx, odt, office_package

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
GIF = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11"


def sniffed(tmp_path, data: bytes, name: str = "fil") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return filetypes.sniff(path)


def refused(tmp_path, data: bytes, name: str = "fil") -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        sniffed(tmp_path, data, name)
    assert caught.value.field == "file"
    return caught.value


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (tiny_pdf("Hej"), filetypes.PDF),
        (PNG, "image/png"),
        (GIF, "image/gif"),
        (JPEG, "image/jpeg"),
        (WEBP, "image/webp"),
        (docx("Hej"), filetypes.DOCX),
        (odt("Hej"), filetypes.ODT),
        (
            office_package({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<w/>"}),
            filetypes.XLSX,
        ),
        (
            office_package({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>"}),
            filetypes.PPTX,
        ),
        (
            office_package(
                {
                    "mimetype": "application/vnd.oasis.opendocument.spreadsheet",
                    "content.xml": "<x/>",
                },
                first="mimetype",
            ),
            filetypes.ODS,
        ),
        ("Mötesanteckningar från Sollefteå\nVi ses i maj.\n".encode(), filetypes.TEXT),
        ("Kommun;Besök\nÅnge;120\nTimrå;340\n".encode("cp1252"), filetypes.CSV),
    ],
)
def test_each_accepted_kind_is_known_by_its_content_whatever_its_name(tmp_path, data, expected):
    assert sniffed(tmp_path, data, "namnet-ljuger.exe") == expected


def test_a_file_named_pdf_whose_content_is_html_is_refused_as_markup(tmp_path):
    error = refused(tmp_path, b"<!DOCTYPE html><html><script>alert(1)</script></html>", "plan.pdf")
    assert error.message is filetypes.IS_MARKUP


def test_svg_is_refused_even_with_an_xml_declaration_and_leading_space(tmp_path):
    svg = b'\n  <?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    assert refused(tmp_path, svg, "logga.png").message is filetypes.IS_MARKUP


def test_html_after_a_byte_order_mark_is_refused(tmp_path):
    assert refused(tmp_path, "\ufeff<html><body>Hej</body></html>".encode()).message is (
        filetypes.IS_MARKUP
    )


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00" + bytes(200),  # a Windows program
        b"\x7fELF" + bytes(200),
        office_package({"readme.txt": "just a zip"}),
        office_package(
            {"[Content_Types].xml": "<T/>", "word/document.xml": "<d/>", "word/vbaProject.bin": "x"}
        ),
        filetypes.OLE_MAGIC + bytes(600),  # an OLE header with nothing Office inside
        b"text with a NUL\x00 inside",
        b"\x01\x02\x03 binary junk \x04\x05",
    ],
)
def test_files_outside_the_list_are_refused(tmp_path, data):
    refused(tmp_path, data)


def test_an_empty_file_is_refused(tmp_path):
    assert refused(tmp_path, b"").message is filetypes.EMPTY
