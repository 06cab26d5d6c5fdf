"""A reply to every office that sends a file: `feedback/<file name>.xlsx` for each landed file with refused rows, or
refused whole, saying in Indonesian which rows, which column, why, and what a valid value looks like.

Made from the published analyst database's audit tables after each good refresh, all of them at once: a workbook
whose file no longer refuses anything is removed, so the folder always matches `audit.load_log`. Values are the
masked ones of `audit.refused_rows` (a NIK shows only its first four digits and its length); no name is ever kept."""

import os
import re
import shutil
from pathlib import Path
from typing import Any

import duckdb
import xlsxwriter

from common.province import served
from publish import indonesian as idn
from publish.feedback_reasons import reason_sentence, valid_value
from publish.report_data import rows

FEEDBACK_DIR = "feedback"
STATUS = {
    "LOADED": "dimuat (baris yang ditolak tidak ikut dimuat)",
    "REFUSED": "ditolak seluruhnya: tidak ada baris yang dimuat",
}
DELIMITERS = {"comma": "koma (,)", "semicolon": "titik koma (;)", "pipe": "garis tegak (|)", "tab": "tab"}
REFUSED_HEADERS = ("Baris data ke-", "Kolom", "Alasan", "Nilai di berkas (disamarkan)", "Contoh nilai yang benar")
_MISSING_COLUMNS = re.compile(r"missing required column\(s\) ([^:]+):")
# Text Excel could take for a formula is written with a quote prefix, as in the marts' workbook.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

_FILES = """
select file_name, source, extract_date, status, rows_read, rows_loaded, rows_refused, message, loaded_at,
       file_format, encoding, delimiter, extra_columns
from audit.load_log where status = 'REFUSED' or rows_refused > 0 order by file_name"""
_REFUSED = """
select file_name, row_number, column_name, reason, masked_value from audit.refused_rows
order by file_name, row_number, column_name"""


def workbook_name(file_name: str) -> str:
    """`kepesertaan_20240229.csv` → `kepesertaan_20240229.csv.xlsx`; a path separator or a leading dot in a
    landed name cannot place the workbook elsewhere or hide it."""
    return re.sub(r"[/\\\0]", "_", file_name).lstrip(".") + ".xlsx"


def _summary(file: dict[str, Any]) -> list[tuple[str, str]]:
    missing = _MISSING_COLUMNS.search(file["message"] or "")
    return [
        ("Berkas", file["file_name"]),
        ("Jenis berkas", file["source"] or idn.MISSING),
        ("Tanggal pada nama berkas", idn.date(file["extract_date"])),
        ("Status", STATUS.get(file["status"], file["status"])),
        ("Baris dibaca", idn.number(file["rows_read"])),
        ("Baris dimuat", idn.number(file["rows_loaded"])),
        ("Baris ditolak", idn.number(file["rows_refused"])),
        ("Kolom wajib yang tidak ada", missing.group(1) if missing else "tidak ada"),
        ("Kolom tambahan (diabaikan)", file["extra_columns"] or "tidak ada"),
        ("Format", (file["file_format"] or idn.MISSING).upper()),
        ("Encoding terdeteksi", file["encoding"] or idn.MISSING),
        ("Pemisah kolom terdeteksi", DELIMITERS.get(file["delimiter"], file["delimiter"] or idn.MISSING)),
        ("Diproses pada", f"{file['loaded_at']:%Y-%m-%d %H.%M} {served().zone_abbreviation}"),
        ("Keterangan sistem", file["message"] or ""),
        (
            "Apa yang perlu dilakukan",
            "Perbaiki baris di lembar 'Baris ditolak' (atau kolom yang tidak ada), lalu kirim ulang berkas dengan "
            "nama yang sama: berkas baru menggantikan kiriman sebelumnya.",
        ),
    ]


_LONG_DIGITS = re.compile(r"\d{16,}")


def never_a_nik(text: str) -> str:
    """Mask any run of 16 or more digits as the ingest masks a NIK (`8171… (16)`): a NIK typed into another
    column (a KPJ, a note) must not reach an office's workbook either."""
    return _LONG_DIGITS.sub(lambda m: f"{m.group()[:4]}… ({len(m.group())})", text)


def _text(sheet: Any, row: int, col: int, value: str, fmt: Any, quoted: Any) -> None:
    value = never_a_nik(value)
    sheet.write_string(row, col, value, quoted if value.startswith(_FORMULA_STARTS) else fmt)


def write_feedback_workbook(path: Path, file: dict[str, Any], refused: list[dict[str, Any]]) -> None:
    options = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    workbook = xlsxwriter.Workbook(str(path), options)
    workbook.set_properties({"title": f"Balasan untuk berkas {file['file_name']}", "author": "Cakupan"})
    bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "valign": "top", "text_wrap": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    quoted = workbook.add_format({"text_wrap": True, "valign": "top", "quote_prefix": True})

    summary = workbook.add_worksheet("Ringkasan")
    summary.set_column(0, 0, 30)
    summary.set_column(1, 1, 90)
    for r, (label, value) in enumerate(_summary(file)):
        summary.write_string(r, 0, label, bold)
        _text(summary, r, 1, value, wrap, quoted)

    sheet = workbook.add_worksheet("Baris ditolak")
    for col, (header, width) in enumerate(zip(REFUSED_HEADERS, (14, 20, 60, 28, 60), strict=True)):
        sheet.write_string(0, col, header, bold)
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 0)
    for r, row in enumerate(refused, start=1):
        sheet.write_number(r, 0, row["row_number"])
        _text(sheet, r, 1, row["column_name"], wrap, quoted)
        _text(sheet, r, 2, reason_sentence(row["reason"], row["masked_value"]), wrap, quoted)
        _text(sheet, r, 3, row["masked_value"] or "(kosong)", wrap, quoted)
        _text(sheet, r, 4, valid_value(row["column_name"]), wrap, quoted)
    if refused:
        sheet.autofilter(0, 0, len(refused), len(REFUSED_HEADERS) - 1)
    workbook.close()


def write_feedback(analytics: duckdb.DuckDBPyConnection, export_dir: Path) -> list[Path]:
    """Write every sender's workbook into `export_dir/feedback` and remove those no file calls for any more.
    The set is made in a scratch folder first, then each workbook is renamed into place."""
    files = rows(analytics, _FILES)
    refused: dict[str, list[dict[str, Any]]] = {}
    for row in rows(analytics, _REFUSED):
        refused.setdefault(row["file_name"], []).append(row)
    target = export_dir / FEEDBACK_DIR
    target.mkdir(parents=True, exist_ok=True)
    scratch = export_dir / f".feedback-{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    written = []
    try:
        for file in files:
            name = workbook_name(file["file_name"])
            write_feedback_workbook(scratch / name, file, refused.get(file["file_name"], []))
            written.append(target / name)
        for path in scratch.iterdir():
            os.replace(path, target / path.name)
        for stale in set(target.glob("*.xlsx")) - set(written):
            stale.unlink()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return written
