"""The Excel workbook for government offices: a sheet per mart, Indonesian labels above the column names,
numbers as numbers, the header frozen, and no cell that Excel could ever run as a formula."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import xlsxwriter

# A text starting with one of these is what Excel (or a CSV re-import) would take for a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
_EXCEL_TEXT_LIMIT = 32_767


def _number_format(column: str) -> str:
    if column.endswith("_rate") or column in ("target_attainment",):
        return "0.00%"
    if column.endswith("_idr"):
        return "#,##0.00"
    return "#,##0"


def write_workbook(
    path: Path, sheets: list[tuple[str, list[str], list[tuple]]], labels: dict[str, str], province_name: str
) -> None:
    """`sheets`: (sheet name, column names, rows). Strings are always written as strings, never as formulas.
    `province_name`: as the marts name it (marts.coverage_province), for the workbook's title."""
    options = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    workbook = xlsxwriter.Workbook(str(path), options)
    title = f"Cakupan: cakupan jaminan sosial ketenagakerjaan {province_name}"
    workbook.set_properties({"title": title, "author": "Cakupan"})
    label_format = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7"})
    name_format = workbook.add_format({"italic": True, "font_color": "#595959", "bg_color": "#F2F2F2"})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    stamp_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    text_format = workbook.add_format({"quote_prefix": True})
    number_formats: dict[str, object] = {}

    for sheet_name, columns, rows in sheets:
        sheet = workbook.add_worksheet(sheet_name[:31])
        for col, name in enumerate(columns):
            sheet.write_string(0, col, labels.get(name, name), label_format)
            sheet.write_string(1, col, name, name_format)
            sheet.set_column(col, col, max(12, min(40, len(labels.get(name, name)) + 2)))
        sheet.freeze_panes(2, 0)
        if rows:
            sheet.autofilter(1, 0, 1 + len(rows), len(columns) - 1)
        for r, row in enumerate(rows, start=2):
            for col, (name, value) in enumerate(zip(columns, row, strict=True)):
                if value is None:
                    continue
                if isinstance(value, bool):
                    sheet.write_boolean(r, col, value)
                elif isinstance(value, int | float | Decimal):
                    if name not in number_formats:  # one format per column, not one per cell
                        number_formats[name] = workbook.add_format({"num_format": _number_format(name)})
                    sheet.write_number(r, col, float(value), number_formats[name])
                elif isinstance(value, dt.datetime):
                    sheet.write_datetime(r, col, value, stamp_format)
                elif isinstance(value, dt.date):
                    sheet.write_datetime(r, col, dt.datetime.combine(value, dt.time()), date_format)
                else:
                    text = str(value)[:_EXCEL_TEXT_LIMIT]
                    sheet.write_string(r, col, text, text_format if text.startswith(_FORMULA_STARTS) else None)
    workbook.close()
