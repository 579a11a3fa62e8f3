"""CSV and XLSX files from (headers, rows), made to open right in a Swedish Excel.

CSV: UTF-8 with a byte order mark (or Excel reads å, ä, ö as Latin-1), ';' between fields
(Swedish Excel expects it, the comma being the decimal sign), CRLF line ends, decimals with a
comma. XLSX: numbers (amounts in kronor as `Decimal`) stay numbers, so they can be summed.
A text cell starting with = + - @, a tab or a carriage return would be run as a formula by
Excel ("CSV injection"); such cells get a leading apostrophe and are shown as typed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from flask import Response
from openpyxl import Workbook
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KRONOR_FORMAT = "#,##0.00"


def kronor(ore: int | None) -> Decimal | None:
    """Öre from the database as kronor for a spreadsheet: 123_450 → Decimal("1234.50")."""
    if ore is None:
        return None
    return (Decimal(ore) / 100).quantize(Decimal("0.01"))


def neutralised(value):
    """A text cell that a spreadsheet would read as a formula, prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, Decimal | float):
        return str(value).replace(".", ",")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    return neutralised(str(value))


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([_csv_cell(str(header)) for header in headers])
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx_cell(value):
    if isinstance(value, bool | int | float | Decimal | date) or value is None:
        return value
    return neutralised(str(value))


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence], title: str = "Data") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(title)
    sheet.append([_xlsx_cell(str(header)) for header in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_xlsx_cell(value) for value in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, Decimal):
                cell.number_format = KRONOR_FORMAT
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    for column, header in zip(sheet.columns, headers, strict=False):
        sheet.column_dimensions[column[0].column_letter].width = max(len(str(header)) + 2, 14)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet's name."""
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in title).strip()
    return (cleaned or "Data")[:31]


def download(
    headers: Sequence[str], rows: Iterable[Sequence], filename: str, file_format: str
) -> Response:
    """The table as an attachment named `filename`.csv or .xlsx (`file_format` is checked by
    the route's URL converter)."""
    if file_format == "xlsx":
        body, content_type = xlsx_bytes(headers, rows, title=filename), XLSX_TYPE
    else:
        # The whole header, not a mimetype: Werkzeug adds a charset to a text/* mimetype itself.
        body, content_type = csv_bytes(headers, rows), "text/csv; charset=utf-8"
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
