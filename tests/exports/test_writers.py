"""The CSV and XLSX writers: Swedish Excel reads å, ä, ö, numbers stay numbers, and no cell runs
as a formula."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from portal.exports.writers import csv_bytes, kronor, neutralised, xlsx_bytes

HEADERS = ["Kommun", "Belopp (kr)", "Antal projekt"]
ROWS = [
    ("Örnsköldsvik", Decimal("1200000.50"), 3),
    ("=SUM(A1)", Decimal("-500.00"), 1),
    ("Ånge; Timrå", None, 0),
]


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_csv_starts_with_a_byte_order_mark_and_uses_semicolons_and_crlf():
    data = csv_bytes(HEADERS, ROWS)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").split("\r\n")[0] == "Kommun;Belopp (kr);Antal projekt"


def test_csv_keeps_swedish_letters_and_writes_decimal_commas():
    rows = read_csv(csv_bytes(HEADERS, ROWS))
    assert rows[1] == ["Örnsköldsvik", "1200000,50", "3"]
    assert rows[3] == ["Ånge; Timrå", "", "0"]


def test_csv_neutralises_a_formula_but_not_a_negative_number():
    rows = read_csv(csv_bytes(HEADERS, ROWS))
    assert rows[2] == ["'=SUM(A1)", "-500,00", "1"]


@pytest.mark.parametrize("text", ["=1+1", "+46 60 123", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_cells_starting_like_a_formula_get_an_apostrophe(text):
    assert neutralised(text) == "'" + text


def test_ordinary_text_and_numbers_are_left_alone():
    assert neutralised("Bokstart – läsfrämjande") == "Bokstart – läsfrämjande"
    assert neutralised(-5) == -5


def test_xlsx_keeps_amounts_as_numbers_and_text_neutralised():
    sheet = load_workbook(io.BytesIO(xlsx_bytes(HEADERS, ROWS, title="Per kommun"))).active
    assert sheet.title == "Per kommun"
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert sheet["A2"].value == "Örnsköldsvik"
    assert sheet["B2"].value == pytest.approx(1200000.5)
    assert sheet["B2"].data_type == "n"
    assert sheet["C2"].value == 3
    assert sheet["A3"].value == "'=SUM(A1)"
    assert sheet["A3"].data_type == "s"
    assert sheet["B3"].value == pytest.approx(-500)


def test_xlsx_writes_dates_as_dates():
    sheet = load_workbook(io.BytesIO(xlsx_bytes(["Start"], [(date(2016, 1, 1),)]))).active
    assert sheet["A2"].value.date() == date(2016, 1, 1)


def test_kronor_from_ore():
    assert kronor(123_450) == Decimal("1234.50")
    assert kronor(None) is None
