"""Writing a table as a landed file: CSV bytes or an Excel workbook, byte-for-byte reproducible.

A table is a header and a body. The body is what stands under the header, in order:
data rows, BLANK markers (an empty line or sheet row) and, in Excel only, a Total row.
A data row's row_number (extracts.md) is simply its 1-based position in the body.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import xlsxwriter

BLANK = None
FIXED_CREATED = datetime(2024, 1, 1, 8, 0, 0)


@dataclass(frozen=True)
class Number:
    """A numeric Excel cell (money, counts, a NO_KPJ typed as a number)."""

    value: int | float
    num_format: str = "#,##0"


@dataclass(frozen=True)
class Formula:
    formula: str
    value: int | float


@dataclass(frozen=True)
class Total:
    """A JUMLAH/TOTAL row; the reader skips it but it still takes a row number."""

    cells: list


@dataclass(frozen=True)
class CsvLayout:
    encoding: str = "utf-8"  # utf-8 | utf-8-sig | cp1252
    delimiter: str = ","
    line_end: str = "\n"
    quote_all: bool = False
    blank_line_before_header: bool = False


@dataclass(frozen=True)
class XlsxLayout:
    titles: tuple[str, ...] = ()
    blank_after_titles: bool = False
    merge_titles: bool = False
    sheet_name: str = "Sheet1"
    date_format: str = "dd/mm/yyyy"
    ts_format: str = "yyyy-mm-dd hh:mm:ss"


def write_csv(path: Path, header: list[str], body: list, layout: CsvLayout) -> None:
    buf = io.StringIO()
    writer = csv.writer(
        buf,
        delimiter=layout.delimiter,
        quotechar='"',
        quoting=csv.QUOTE_ALL if layout.quote_all else csv.QUOTE_MINIMAL,
        lineterminator=layout.line_end,
    )
    if layout.blank_line_before_header:
        buf.write(layout.line_end)
    writer.writerow(header)
    for row in body:
        if row is BLANK:
            buf.write(layout.line_end)
        elif isinstance(row, Total):
            raise ValueError("total rows are an Excel habit; CSV files here carry none")
        else:
            writer.writerow(["" if c is None else c for c in row])
    # strict: a character the encoding cannot hold is a generator bug, not data
    path.write_bytes(buf.getvalue().encode(layout.encoding, errors="strict"))


def write_xlsx(path: Path, header: list[str], body: list, layout: XlsxLayout) -> None:
    wb = xlsxwriter.Workbook(
        str(path), {"strings_to_urls": False, "strings_to_numbers": False, "strings_to_formulas": False}
    )
    wb.set_properties({"created": FIXED_CREATED, "author": "Cakupan synthetic", "title": "extract"})
    ws = wb.add_worksheet(layout.sheet_name)
    bold = wb.add_format({"bold": True})
    head = wb.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
    date_fmt = wb.add_format({"num_format": layout.date_format})
    ts_fmt = wb.add_format({"num_format": layout.ts_format})
    num_formats: dict[str, object] = {}

    def num_fmt(spec: str):
        if spec not in num_formats:
            num_formats[spec] = wb.add_format({"num_format": spec})
        return num_formats[spec]

    row = 0
    for title in layout.titles:
        if layout.merge_titles and len(header) > 1:
            ws.merge_range(row, 0, row, len(header) - 1, title, bold)
        else:
            ws.write_string(row, 0, title, bold)
        row += 1
    if layout.titles and layout.blank_after_titles:
        row += 1
    for col, name in enumerate(header):
        ws.write_string(row, col, name, head)
        ws.set_column(col, col, max(10, min(32, len(name) + 4)))
    for item in body:
        row += 1
        if item is BLANK:
            continue
        cells = item.cells if isinstance(item, Total) else item
        for col, cell in enumerate(cells):
            if cell is None or cell == "":
                continue
            if isinstance(cell, str):
                ws.write_string(row, col, cell, bold if isinstance(item, Total) else None)
            elif isinstance(cell, Number):
                ws.write_number(row, col, cell.value, num_fmt(cell.num_format))
            elif isinstance(cell, Formula):
                ws.write_formula(row, col, cell.formula, num_fmt("#,##0"), cell.value)
            elif isinstance(cell, datetime):
                ws.write_datetime(row, col, cell, ts_fmt)
            elif isinstance(cell, date):
                ws.write_datetime(row, col, datetime(cell.year, cell.month, cell.day), date_fmt)
            elif isinstance(cell, (int, float)):
                ws.write_number(row, col, cell)
            else:
                raise TypeError(f"cannot write {cell!r}")
    wb.close()


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
