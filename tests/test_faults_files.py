"""Bad files in one refresh: each broken file is refused with a reason, every other file still loads."""

import zipfile

import duckdb

from ingest.load import load_landing
from ingest.warehouse import ensure_schema
from tests.populations import BUDGET_JUNE, HEADER, MAY, WORKFORCE


def test_each_broken_file_is_refused_and_the_rest_load(tmp_path):
    good = "\n".join([HEADER, *MAY]) + "\n"
    (tmp_path / "kepesertaan_20240531.csv").write_text(good)
    (tmp_path / "angkatan_kerja_2024.csv").write_text(WORKFORCE)
    (tmp_path / "anggaran_20240630.csv").write_text(BUDGET_JUNE)
    (tmp_path / "kepesertaan_20240601_kosong.csv").write_bytes(b"")
    (tmp_path / "kepesertaan_20240602_biner.csv").write_bytes(bytes(range(256)) * 10)
    (tmp_path / "kepesertaan_20240603_utf16.csv").write_bytes(good.encode("utf-16"))
    (tmp_path / "kepesertaan_20240604_terpotong.csv").write_text(good[: good.rindex("AKTIF") - 3])
    with zipfile.ZipFile(tmp_path / "whole.xlsx", "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook>" + "x" * 5000)
    whole = (tmp_path / "whole.xlsx").read_bytes()
    (tmp_path / "whole.xlsx").unlink()
    (tmp_path / "anggaran_20240605_rusak.xlsx").write_bytes(whole[: len(whole) // 2])

    conn = duckdb.connect()
    ensure_schema(conn)
    outcomes = {o.file_name: o for o in load_landing(conn, tmp_path, b"key", lambda _: None)}
    assert {name: o.status for name, o in outcomes.items()} == {
        "anggaran_20240605_rusak.xlsx": "REFUSED",
        "anggaran_20240630.csv": "LOADED",
        "angkatan_kerja_2024.csv": "LOADED",
        "kepesertaan_20240531.csv": "LOADED",
        "kepesertaan_20240601_kosong.csv": "REFUSED",
        "kepesertaan_20240602_biner.csv": "REFUSED",
        "kepesertaan_20240603_utf16.csv": "REFUSED",
        "kepesertaan_20240604_terpotong.csv": "REFUSED",
    }
    messages = {name: o.message for name, o in outcomes.items() if o.status == "REFUSED"}
    assert "empty" in messages["kepesertaan_20240601_kosong.csv"]
    assert "NUL" in messages["kepesertaan_20240602_biner.csv"]
    assert "UTF-16" in messages["kepesertaan_20240603_utf16.csv"]
    assert "cut short" in messages["kepesertaan_20240604_terpotong.csv"]
    assert "XLSX" in messages["anggaran_20240605_rusak.xlsx"]
    assert conn.execute("select count(*) from raw.kepesertaan").fetchone()[0] == len(MAY)
    assert conn.execute("select count(*) from raw.angkatan_kerja").fetchone()[0] == 3
