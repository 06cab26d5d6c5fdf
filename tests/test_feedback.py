"""The reply to every sender: a workbook per landed file with refused rows or refused whole, in Indonesian, with
masked values only, and none for a file with nothing refused."""

import re

import openpyxl
import pytest

import ingest.anggaran
import ingest.angkatan_kerja
import ingest.kepesertaan
from publish.feedback import FEEDBACK_DIR, REFUSED_HEADERS, never_a_nik, write_feedback
from publish.feedback_reasons import REASONS, reason_sentence, reason_title
from tests.workspace import Workspace

NIK_SHAPED = re.compile(r"(?<!\d)\d{16}(?!\d)")


def _cells(path) -> list[str]:
    workbook = openpyxl.load_workbook(path)
    return [str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row if c.value is not None]


def _sheet_rows(path, sheet: str) -> list[tuple]:
    return list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))


def test_every_reason_the_ingest_gives_has_an_indonesian_sentence():
    reasons = {"VALUE_MISSING"} | {
        column.reason
        for source in (ingest.kepesertaan.SOURCE, ingest.anggaran.SOURCE, ingest.angkatan_kerja.SOURCE)
        for column in source.columns
        if column.parse is not None
    }
    assert reasons - REASONS.keys() == set()
    assert reason_sentence("DATE_INVALID", "31/02/2024") == "tanggal tidak ada atau tidak terbaca: 31/02/2024"
    assert reason_sentence("VALUE_MISSING", None) == "kolom wajib ini kosong"


def test_an_unknown_reason_is_shown_as_it_is():
    assert reason_sentence("SOMETHING_NEW", "x") == "SOMETHING_NEW: x"
    assert reason_title("SOMETHING_NEW") == "SOMETHING_NEW"


def test_a_nik_typed_anywhere_is_masked():
    assert never_a_nik("KPJ 8171011505850001 salah") == "KPJ 8171… (16) salah"
    assert never_a_nik("00000000011") == "00000000011"


@pytest.mark.refresh
def test_one_workbook_per_file_with_refusals_and_none_for_a_clean_file(handmade_published: Workspace):
    folder = handmade_published.export_dir / FEEDBACK_DIR
    assert {p.name for p in folder.iterdir()} == {
        "kepesertaan_20240630.csv.xlsx",  # the 15-digit NIK
        "kepesertaan_20240615_koreksi.csv.xlsx",  # 31/02/2024
        "anggaran_20240630.csv.xlsx",  # negative money
        "anggaran_20240701_tanpa_pagu.csv.xlsx",  # refused whole
    }
    logged = handmade_published.query(
        "select file_name from audit.load_log where status = 'REFUSED' or rows_refused > 0"
    )
    assert {f"{r['file_name']}.xlsx" for r in logged} == {p.name for p in folder.iterdir()}


@pytest.mark.refresh
def test_a_refused_row_says_why_in_indonesian_with_its_row_column_and_a_valid_example(handmade_published):
    path = handmade_published.export_dir / FEEDBACK_DIR / "kepesertaan_20240615_koreksi.csv.xlsx"
    assert openpyxl.load_workbook(path).sheetnames == ["Ringkasan", "Baris ditolak"]
    header, *refused = _sheet_rows(path, "Baris ditolak")
    assert header == REFUSED_HEADERS
    assert refused == [
        (
            1,
            "TGL_KEPESERTAAN",
            "tanggal tidak ada atau tidak terbaca: 31/02/2024",
            "31/02/2024",
            "tanggal yang ada, mis. 01/03/2024 atau 2024-03-01",
        )
    ]
    summary = dict(_sheet_rows(path, "Ringkasan"))
    assert (summary["Baris dibaca"], summary["Baris dimuat"], summary["Baris ditolak"]) == ("1", "0", "1")
    assert summary["Encoding terdeteksi"] == "utf-8" and summary["Pemisah kolom terdeteksi"] == "koma (,)"


@pytest.mark.refresh
def test_a_file_refused_whole_names_its_missing_column(handmade_published):
    path = handmade_published.export_dir / FEEDBACK_DIR / "anggaran_20240701_tanpa_pagu.csv.xlsx"
    summary = dict(_sheet_rows(path, "Ringkasan"))
    assert summary["Status"].startswith("ditolak seluruhnya")
    assert summary["Kolom wajib yang tidak ada"] == "PAGU"
    assert _sheet_rows(path, "Baris ditolak") == [REFUSED_HEADERS]


@pytest.mark.refresh
def test_no_nik_or_name_in_any_workbook(handmade_published):
    from tests import populations as handmade

    names = {line.split(",")[2] for line in handmade.MAY + handmade.JUNE}
    for path in (handmade_published.export_dir / FEEDBACK_DIR).iterdir():
        for value in _cells(path):
            assert not NIK_SHAPED.search(value), (path.name, value)
            assert not any(name in value for name in names), (path.name, value)
    nik_row = _sheet_rows(
        handmade_published.export_dir / FEEDBACK_DIR / "kepesertaan_20240630.csv.xlsx", "Baris ditolak"
    )
    assert nik_row[1][1:4] == (
        "NIK",
        "NIK tidak sah (harus 16 angka dengan kode provinsi, tanggal dan bulan lahir yang benar): 8171… (15)",
        "8171… (15)",
    )


@pytest.mark.refresh
def test_a_stale_workbook_is_removed_when_the_feedback_is_made_again(handmade_published, tmp_path):
    import duckdb

    stale = tmp_path / FEEDBACK_DIR / "kepesertaan_20240101_lama.csv.xlsx"
    stale.parent.mkdir()
    stale.write_bytes(b"old")
    with duckdb.connect(str(handmade_published.analytics_db), read_only=True) as analytics:
        written = write_feedback(analytics, tmp_path)
    assert not stale.exists()
    assert {p.name for p in (tmp_path / FEEDBACK_DIR).iterdir()} == {p.name for p in written}
