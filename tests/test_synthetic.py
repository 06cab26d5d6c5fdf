"""The synthetic extract generator: deterministic, self-consistent, and its files say what it claims.

The last group re-reads the written files with a deliberately naive reader (not the
project's ingest) only to check the generator's bookkeeping: row numbers of refusals,
row counts, and that every row meant to load carries valid identifiers and codes.
"""

from __future__ import annotations

import csv
import json
import unicodedata
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from synthetic import generate
from synthetic.__main__ import main
from synthetic.model import LoadedMembershipRow
from synthetic.reference import SECTORS, load_reference, normalise_occupation, place_sector
from synthetic.truth import Register, placements

PEOPLE = 2000
REASONS = {
    "VALUE_MISSING",
    "NIK_INVALID",
    "KPJ_INVALID",
    "REGENCY_UNKNOWN",
    "SECTOR_UNKNOWN",
    "CODE_UNKNOWN",
    "DATE_INVALID",
    "NUMBER_INVALID",
    "MONEY_INVALID",
}
REF = load_reference()


@pytest.fixture(scope="module")
def landing(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("landing")
    return out, generate(out, people=PEOPLE, seed=11)


# --- determinism and shape -------------------------------------------------------------------


def test_same_arguments_give_identical_bytes(tmp_path, landing):
    out, expected = landing
    again = generate(tmp_path / "again", people=PEOPLE, seed=11)
    assert json.dumps(again, sort_keys=True) == json.dumps(expected, sort_keys=True)
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(p.name for p in (tmp_path / "again").iterdir())
    for name in names:
        assert (out / name).read_bytes() == (tmp_path / "again" / name).read_bytes(), name


def test_another_seed_gives_other_data(tmp_path, landing):
    _, expected = landing
    other = generate(tmp_path, people=PEOPLE, seed=12)
    assert other["cells"] != expected["cells"]


def test_expected_is_json_and_names_as_of(landing):
    out, expected = landing
    json.dumps(expected)
    dates = [p.name.split("_")[1][:8] for p in out.iterdir() if p.name.lower().startswith("kepesertaan_")]
    assert expected["as_of"] == datetime.strptime(max(dates), "%Y%m%d").date().isoformat() == "2024-12-31"


def test_cells_sum_to_the_province(landing):
    _, expected = landing
    cells = expected["cells"]
    assert len(cells) == 121
    assert len({(c["regency_code"], c["sector"]) for c in cells}) == 121
    assert sum(c["covered_workers"] for c in cells) == expected["province"]["covered_workers"]
    assert sum(c["eligible_workers"] for c in cells) == expected["province"]["eligible_workers"]


def test_every_sector_and_regency_has_covered_and_eligible_workers(landing):
    _, expected = landing
    assert {r["regency_code"] for r in expected["regencies"]} == set(REF.regencies)
    for group in expected["regencies"] + expected["sectors"]:
        assert group["covered_workers"] > 0 and group["eligible_workers"] > 0, group
    assert {s["sector"] for s in expected["sectors"]} == set(SECTORS)


def test_coverage_is_near_forty_percent(landing):
    _, expected = landing
    province = expected["province"]
    assert 0.3 <= province["covered_workers"] / province["eligible_workers"] <= 0.5
    rates = [c["covered_workers"] / c["eligible_workers"] for c in expected["cells"] if c["eligible_workers"]]
    assert max(rates) - min(rates) > 0.3  # varies by regency and sector


def test_coverage_grows_over_the_year(landing):
    _, expected = landing
    monthly = [m["covered_workers"] for m in expected["monthly"]]
    assert len(monthly) == 12
    assert monthly[-1] == expected["province"]["covered_workers"]
    assert monthly[-1] > monthly[0]


# --- files and refusals ----------------------------------------------------------------------


def test_every_written_file_is_accounted_for(landing):
    out, expected = landing
    assert sorted(p.name for p in out.iterdir()) == sorted(expected["files"])
    for name, f in expected["files"].items():
        assert f["status"] == ("IGNORED" if f["source"] is None else "LOADED"), name
    assert [n for n, f in expected["files"].items() if f["source"] is None] == ["catatan.txt"]
    # No two files share their bytes: a byte-identical copy would be a DUPLICATE, not a load.
    contents = [(out / n).read_bytes() for n in expected["files"]]
    assert len(set(contents)) == len(contents)


def test_counts_add_up_per_file(landing):
    _, expected = landing
    for name, f in expected["files"].items():
        assert f["rows_read"] == f["rows_loaded"] + f["rows_refused"], name
        assert f["rows_refused"] == sum(1 for r in expected["refused"] if r["file_name"] == name), name


def test_refusals_name_existing_files_with_spec_reasons(landing):
    out, expected = landing
    assert expected["refused"], "bad rows were asked for"
    for r in expected["refused"]:
        assert (out / r["file_name"]).exists()
        assert expected["files"][r["file_name"]]["status"] == "LOADED"
        assert r["reason"] in REASONS and r["row_number"] >= 1
    reasons = {r["reason"] for r in expected["refused"]}
    assert reasons == REASONS
    assert {r["column_name"] for r in expected["refused"]} >= {"NIK", "NO_KPJ", "KAB_KOTA", "SEGMEN", "TGL_KEPESERTAAN"}


def test_every_source_has_an_excel_file_and_csv_variety(landing):
    out, expected = landing
    by_source: dict[str, set[str]] = {}
    for name, f in expected["files"].items():
        if f["source"]:
            by_source.setdefault(f["source"], set()).add(name.rsplit(".", 1)[1].lower())
    assert all("xlsx" in exts for exts in by_source.values()), by_source
    encodings, delimiters = set(), set()
    for path in out.iterdir():
        if path.suffix.lower() != ".csv":
            continue
        raw = path.read_bytes()
        if raw.startswith(b"\xef\xbb\xbf"):
            encodings.add("utf-8-sig")
        else:
            try:
                raw.decode("utf-8")
                encodings.add("utf-8")
            except UnicodeDecodeError:
                raw.decode("cp1252")
                encodings.add("cp1252")
        header = next(line for line in raw.decode("latin-1").splitlines() if line.strip())
        delimiters.add(max([",", ";", "|", "\t"], key=header.count))
    assert encodings == {"utf-8", "utf-8-sig", "cp1252"}
    assert delimiters == {",", ";", "|", "\t"}


def test_plain_mode_is_plain_and_clean(tmp_path):
    expected = generate(tmp_path, people=500, seed=3, months=3, variety=False, bad_rows=False)
    assert not expected["refused"] and not expected["nulled"]
    for path in tmp_path.iterdir():
        assert path.suffix == ".csv"
        path.read_bytes().decode("utf-8")
    assert all(f["rows_refused"] == 0 and f["status"] == "LOADED" for f in expected["files"].values())


def test_cli_writes_files_and_expected(tmp_path, capsys):
    assert (
        main(
            [
                "--out",
                str(tmp_path / "landing"),
                "--people",
                "300",
                "--seed",
                "5",
                "--months",
                "2",
                "--expected",
                str(tmp_path / "expected.json"),
            ]
        )
        == 0
    )
    summary = capsys.readouterr().out
    assert summary.count("\n") == 1 and "files" in summary and " s" in summary
    expected = json.loads((tmp_path / "expected.json").read_text(encoding="utf-8"))
    assert set(expected["files"]) == {p.name for p in (tmp_path / "landing").iterdir()}


# --- the rules the truth applies ----------------------------------------------------------------


def test_occupation_normalisation_and_rule_order():
    assert normalise_occupation("guru-honorer.") == "GURU HONORER"
    assert normalise_occupation("  Nelayan (tradisional) ") == "NELAYAN TRADISIONAL"
    assert normalise_occupation("kepala_desa–’") == "KEPALA DESA"
    occ = REF.occupations
    assert place_sector("JAKON", "NELAYAN", "MANDIRI", occ) == ("JASA_KONSTRUKSI", 1)
    assert place_sector("PMI", "ABK", "MANDIRI", occ) == ("PEKERJA_MIGRAN", 2)
    assert place_sector("PU", "guru-honorer.", "PEMBERI_KERJA", occ) == ("GURU", 3)
    assert place_sector("PU", "PEGAWAI KONTRAK", "APBD_KAB", occ) == ("PENERIMA_UPAH_LAINNYA", 4)
    assert place_sector("BPU", "GURU", "APBDES", occ) == ("PEKERJA_RENTAN", 5)
    assert place_sector("BPU", None, "MANDIRI", occ) == ("BPU_LAINNYA", 6)


def _row(kpj, nik, status, tgl_kep, ts, file_date, row_number=1, regency="8171"):
    return LoadedMembershipRow(
        kpj, nik, regency, "BPU", "MANDIRI", None, status, tgl_kep, ts, file_date, "f.csv", row_number
    )


def test_version_ties_and_placement_ties():
    t = datetime(2024, 3, 10, 9, 0)
    rows = [
        _row("00000000001", "A", "AKTIF", date(2020, 1, 1), t, date(2024, 3, 31)),
        _row("00000000001", "A", "NONAKTIF", date(2020, 1, 1), t, date(2024, 4, 30)),  # later file wins
        _row("00000000002", "B", "NONAKTIF", date(2021, 1, 1), t, date(2024, 3, 31), 5),
        _row("00000000002", "B", "AKTIF", date(2021, 1, 1), t, date(2024, 3, 31), 9),  # later row wins
        _row("00000000003", "C", "AKTIF", date(2022, 5, 1), t, date(2024, 3, 31), regency="8101"),
        _row("00000000004", "C", "AKTIF", date(2022, 5, 1), t, date(2024, 3, 31), regency="8172"),  # larger KPJ
    ]
    states = Register(rows).states_at(datetime(2024, 12, 31, 23, 59, 59))
    assert states["00000000001"].status == "NONAKTIF"
    assert states["00000000002"].status == "AKTIF"
    placed = placements(states)
    assert set(placed) == {"B", "C"} and placed["C"].regency == "8172"
    assert Register(rows).states_at(datetime(2024, 3, 10, 8, 59)) == {}


# --- a naive re-read of the files, to check the generator's bookkeeping ---------------------------

HEADER_ALIASES = {
    "KPJ": "NO_KPJ",
    "NOMOR_KPJ": "NO_KPJ",
    "NO_NIK": "NIK",
    "NAMA": "NAMA_LENGKAP",
    "TANGGAL_LAHIR": "TGL_LAHIR",
    "JK": "JENIS_KELAMIN",
    "KABUPATEN_KOTA": "KAB_KOTA",
    "WILAYAH": "KAB_KOTA",
    "SUMBER_DANA": "SUMBER_IURAN",
    "UPAH_DILAPORKAN": "UPAH",
    "TGL_DAFTAR": "TGL_KEPESERTAAN",
    "TAHUN": "TAHUN",
    "PEMERINTAH_DAERAH": "PEMDA",
    "OPD": "NAMA_OPD",
    "SKPD": "NAMA_OPD",
    "SEKTOR": "SEKTOR",
    "TARGET_PESERTA": "JUMLAH_SASARAN",
    "PAGU_ANGGARAN": "PAGU",
    "JUMLAH": "JUMLAH_PEKERJA",
}
SOURCE_ALIASES = {"anggaran": {"TAHUN": "TAHUN_ANGGARAN", "SEKTOR": "SEKTOR_SASARAN"}}


def _canonical(name, source: str) -> str:
    key = "_".join(str(name).strip().upper().replace("_", " ").split())
    key = SOURCE_ALIASES.get(source, {}).get(key, HEADER_ALIASES.get(key, key))
    return key


def _read(path: Path, source: str) -> tuple[list[str], list]:
    """Header (canonical) and body (rows under it; None for blank rows)."""
    if path.suffix.lower() == ".xlsx":
        wb = openpyxl.load_workbook(path, read_only=True)
        rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
        wb.close()
        h = next(i for i, r in enumerate(rows) if sum(c not in (None, "") for c in r) >= 3)
        body = [None if all(c in (None, "") for c in r) else r for r in rows[h + 1 :]]
        while body and body[-1] is None:
            body.pop()
        return [_canonical(c, source) for c in rows[h]], body
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    lines = text.split("\r\n") if "\r\n" in text else text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    h = next(i for i, line in enumerate(lines) if line.strip())
    delimiter = max([",", ";", "|", "\t"], key=lines[h].count)
    parse = lambda line: next(csv.reader([line], delimiter=delimiter))  # noqa: E731
    return [_canonical(c, source) for c in parse(lines[h])], [parse(x) if x else None for x in lines[h + 1 :]]


def _is_total(row) -> bool:
    first = next((c for c in row if c not in (None, "")), None)
    return isinstance(first, str) and first.strip().upper() in ("JUMLAH", "TOTAL", "GRAND TOTAL")


def _text(cell) -> str:
    return "" if cell is None else str(cell).strip()


def _nik_ok(nik: str) -> bool:
    if len(nik) != 16 or not nik.isdigit() or not 11 <= int(nik[:2]) <= 96:
        return False
    day = int(nik[6:8]) - (40 if int(nik[6:8]) > 40 else 0)
    return 1 <= day <= 31 and 1 <= int(nik[8:10]) <= 12


def _punct_free(text: str) -> str:
    return " ".join("".join(" " if unicodedata.category(c).startswith("P") else c for c in text.upper()).split())


REGENCY_SPELLINGS = {_punct_free(a) for aliases in REF.aliases.values() for a, _ in aliases} | {
    _punct_free(r.name) for r in REF.regencies.values()
}
SECTOR_SPELLINGS = set(SECTORS) | {label.upper() for labels in REF.sector_labels.values() for label in labels}
CODES = {
    "SEGMEN": {
        "PU",
        "BPU",
        "JAKON",
        "PMI",
        "PENERIMA UPAH",
        "BUKAN PENERIMA UPAH",
        "JASA KONSTRUKSI",
        "PEKERJA MIGRAN INDONESIA",
    },
    "SUMBER_IURAN": {"MANDIRI", "PEMBERI_KERJA", "APBD_PROV", "APBD_KAB", "APBDES", "CSR"},
    "STATUS": {"AKTIF", "NONAKTIF"},
}


def _valid(source: str, column: str, cell) -> bool:
    value = _text(cell)
    if column == "NIK":
        return _nik_ok(value)
    if column == "NO_KPJ":
        return (isinstance(cell, (int, float)) and 0 < cell < 10**11) or (len(value) == 11 and value.isdigit())
    if column == "KAB_KOTA":
        return _punct_free(value) in REGENCY_SPELLINGS
    if column in CODES:
        return value.upper().replace(" ", "_" if column == "SUMBER_IURAN" else " ") in CODES[column]
    if column in ("SEKTOR", "SEKTOR_SASARAN"):
        return value.upper() in SECTOR_SPELLINGS
    if column in ("JUMLAH_PEKERJA", "JUMLAH_SASARAN"):
        return isinstance(cell, (int, float)) or value.isdigit()
    if column in ("PAGU", "REALISASI"):
        return (isinstance(cell, (int, float)) and cell >= 0) or (value != "" and not value.startswith("-"))
    if column == "TGL_KEPESERTAAN":
        return (
            value != ""
            and "31/02/" not in value
            and "31/2/" not in value
            and "-02-31" not in value
            and "31-02-" not in value
            and "31 Feb" not in value
        )
    return value != ""


CHECKED = {
    "kepesertaan": ["NO_KPJ", "NIK", "KAB_KOTA", "SEGMEN", "SUMBER_IURAN", "STATUS", "TGL_KEPESERTAAN", "TGL_UPDATE"],
    "anggaran": ["TAHUN_ANGGARAN", "PEMDA", "NAMA_OPD", "SEKTOR_SASARAN", "JUMLAH_SASARAN", "PAGU", "REALISASI"],
    "angkatan_kerja": ["TAHUN", "KAB_KOTA", "SEKTOR", "JUMLAH_PEKERJA"],
}


def test_files_hold_what_expected_says(landing):
    out, expected = landing
    refused = {(r["file_name"], r["row_number"]): r for r in expected["refused"]}
    nulled = {(n["file_name"], n["row_number"]): n for n in expected["nulled"]}
    for name, f in expected["files"].items():
        if f["status"] != "LOADED":
            continue
        header, body = _read(out / name, f["source"])
        data = [(i + 1, row) for i, row in enumerate(body) if row is not None and not _is_total(row)]
        assert len(data) == f["rows_read"], name
        for number, row in data:
            cells = dict(zip(header, row, strict=False))
            miss = refused.get((name, number))
            for column in CHECKED[f["source"]]:
                if column == "PEMDA":
                    continue  # owner names are checked through the refusal below
                ok = _valid(f["source"], column, cells.get(column))
                if miss and miss["column_name"] == column:
                    assert not ok, (name, number, column, cells.get(column))
                else:
                    assert ok, (name, number, column, cells.get(column))
            if miss and miss["column_name"] == "PEMDA":
                assert "Halmahera" in _text(cells["PEMDA"])
            if (name, number) in nulled:
                column = nulled[(name, number)]["column_name"]
                assert _text(cells[column]) in ("X", "abc", "1,5 juta", "13-2024") or "30" in _text(cells[column])
        for key in refused:
            if key[0] == name:
                assert body[key[1] - 1] is not None and not _is_total(body[key[1] - 1]), key
