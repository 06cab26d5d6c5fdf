"""Every variation extracts.md allows loads to the same rows as its plain-CSV twin; files outside it are
refused whole with a message that says what is wrong."""

import datetime as dt
from pathlib import Path

import duckdb
import pytest
import xlsxwriter

from ingest.landing import identify
from ingest.load import load_file

KEY = b"variation-test-key"
COLUMNS = [
    "NO_KPJ",
    "NIK",
    "NAMA_LENGKAP",
    "TGL_LAHIR",
    "JENIS_KELAMIN",
    "KAB_KOTA",
    "KECAMATAN",
    "SEGMEN",
    "PEKERJAAN",
    "SUMBER_IURAN",
    "PROGRAM",
    "UPAH",
    "TGL_KEPESERTAAN",
    "BLTH_TERAKHIR",
    "STATUS",
    "TGL_UPDATE",
]
PEOPLE = [
    # kpj, nik, name, birth, sex, regency, district, segmen, occupation, payer, programs, wage, joined, last paid, status, updated
    (
        "00000000101",
        "8171011505850001",
        "Yohanis Pattinama",
        dt.date(1985, 5, 15),
        "L",
        "Kota Ambon",
        "Sirimau",
        "BPU",
        "Nelayan",
        "MANDIRI",
        "JKK,JKM",
        1500000,
        dt.date(2024, 1, 2),
        "202405",
        "AKTIF",
        dt.datetime(2024, 5, 31, 10, 15),
    ),
    (
        "00000000102",
        "8101015003900002",
        "Maria Latuconsina",
        dt.date(1990, 3, 10),
        "P",
        "Kabupaten Maluku Tengah",
        "Amahai",
        "PU",
        "Guru Honorer",
        "PEMBERI_KERJA",
        "JKK,JKM,JHT",
        2949953,
        dt.date(2023, 7, 1),
        "202405",
        "AKTIF",
        dt.datetime(2024, 5, 30, 8, 0),
    ),
    (
        "00000000103",
        "8104012012000003",
        "Ahmad Wattimena",
        dt.date(2000, 12, 20),
        "L",
        "Kabupaten Buru",
        None,
        "JAKON",
        "Tukang Batu",
        "APBD_KAB",
        "JKK,JKM",
        None,
        dt.date(2024, 2, 29),
        None,
        "NONAKTIF",
        dt.datetime(2024, 5, 1, 23, 59),
    ),
]
ROW_COLUMNS = (
    "no_kpj, person_id, birth_year, sex, regency_code, district, segmen, occupation, sumber_iuran, "
    "programs, wage_idr, membership_date, last_paid_month, status, updated_at"
)


def plain_cells(person) -> list[str]:
    (
        kpj,
        nik,
        name,
        birth,
        sex,
        regency,
        district,
        segmen,
        occupation,
        payer,
        programs,
        wage,
        joined,
        paid,
        status,
        updated,
    ) = person
    return [
        kpj,
        nik,
        name,
        birth.strftime("%d/%m/%Y"),
        sex,
        regency,
        district or "",
        segmen,
        occupation,
        payer,
        programs,
        "" if wage is None else str(wage),
        joined.strftime("%d/%m/%Y"),
        paid or "",
        status,
        updated.strftime("%Y-%m-%d %H:%M:%S"),
    ]


def csv_text(header: list[str], rows: list[list[str]], delimiter: str = ",", newline: str = "\n") -> str:
    def cell(value: str) -> str:
        return f'"{value}"' if delimiter in value or '"' in value else value

    return newline.join(delimiter.join(cell(v) for v in row) for row in [header, *rows]) + newline


def load(path: Path) -> tuple[dict, list[tuple]]:
    conn = duckdb.connect()
    outcome = load_file_with_schema(conn, path)
    rows = conn.execute(f"select {ROW_COLUMNS} from raw.kepesertaan order by no_kpj").fetchall()
    log = conn.execute("select * from audit.load_log").fetchone()
    names = [d[0] for d in conn.description]
    return {"outcome": outcome, "log": dict(zip(names, log, strict=True))}, rows


def load_file_with_schema(conn, path: Path):
    from ingest.warehouse import ensure_schema

    ensure_schema(conn)
    return load_file(conn, identify(path), KEY)


@pytest.fixture
def plain(tmp_path):
    path = tmp_path / "kepesertaan_20240531.csv"
    path.write_text(csv_text(COLUMNS, [plain_cells(p) for p in PEOPLE]))
    info, rows = load(path)
    assert info["outcome"].status == "LOADED" and len(rows) == 3
    return rows


def write(tmp_path: Path, content: str | bytes, name: str = "kepesertaan_20240531_variant.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def variant_rows(**changes) -> list[list[str]]:
    rows = [plain_cells(p) for p in PEOPLE]
    for column, values in changes.items():
        i = COLUMNS.index(column)
        for row, value in zip(rows, values, strict=True):
            row[i] = value
    return rows


@pytest.mark.parametrize(
    ("variation", "make"),
    [
        ("utf-8 with BOM", lambda: b"\xef\xbb\xbf" + csv_text(COLUMNS, variant_rows()).encode()),
        ("semicolons", lambda: csv_text(COLUMNS, variant_rows(), ";")),
        ("pipes", lambda: csv_text(COLUMNS, variant_rows(), "|")),
        ("tabs", lambda: csv_text(COLUMNS, variant_rows(), "\t")),
        ("CRLF line ends", lambda: csv_text(COLUMNS, variant_rows(), ",", "\r\n")),
        (
            "aliases, case and spaces in headers",
            lambda: csv_text(
                [
                    " kpj ",
                    "no nik",
                    "Nama",
                    "tanggal_lahir",
                    "jk",
                    "Kabupaten Kota",
                    "kecamatan",
                    "segmen",
                    "Pekerjaan",
                    "SUMBER DANA",
                    "program",
                    "upah dilaporkan",
                    "TGL DAFTAR",
                    "blth_terakhir",
                    "Status",
                    "tgl_update",
                ],
                variant_rows(),
            ),
        ),
        (
            "other date forms",
            lambda: csv_text(
                COLUMNS,
                variant_rows(
                    TGL_LAHIR=["15 Mei 1985", "10-03-1990", "2000-12-20"],
                    TGL_KEPESERTAAN=["2/1/2024", "1 Juli 2023", "29 Feb 2024"],
                ),
            ),
        ),
        (
            "other timestamp form",
            lambda: csv_text(
                COLUMNS, variant_rows(TGL_UPDATE=["31/05/2024 10:15", "30/05/2024 08:00", "01/05/2024 23:59"])
            ),
        ),
        ("other month forms", lambda: csv_text(COLUMNS, variant_rows(BLTH_TERAKHIR=["05-2024", "2024-05", ""]))),
        ("Rupiah forms", lambda: csv_text(COLUMNS, variant_rows(UPAH=["Rp 1.500.000", "2.949.953,00", ""]))),
        (
            "regency spellings and codes",
            lambda: csv_text(COLUMNS, variant_rows(KAB_KOTA=["81.71", "MALTENG", "Kab. Buru"])),
        ),
        (
            "code values in any case",
            lambda: csv_text(
                COLUMNS,
                variant_rows(
                    SEGMEN=["bpu", "Penerima Upah", "jakon"],
                    SUMBER_IURAN=["mandiri", "pemberi kerja", "Apbd Kab"],
                    STATUS=["aktif", "Aktif", "nonaktif"],
                    JENIS_KELAMIN=["l", "Perempuan", "LAKI-LAKI"],
                    PROGRAM=["jkk+jkm", "JKK, JKM, JHT", "JKM JKK"],
                ),
            ),
        ),
        (
            "surrounding spaces and quoted cells",
            lambda: csv_text(COLUMNS, [[f"  {v} " if v else v for v in row] for row in variant_rows()]),
        ),
    ],
)
def test_variation_loads_like_its_plain_twin(tmp_path, plain, variation, make):
    info, rows = load(write(tmp_path, make()))
    assert info["outcome"].status == "LOADED", info["outcome"].message
    assert info["log"]["rows_refused"] == 0, info["outcome"].message
    assert rows == plain


def test_windows_1252(tmp_path):
    rows = variant_rows(PEKERJAAN=["Nelayan", "Guru Honorer", "Tukang Batu – Kayu"])
    info, loaded = load(write(tmp_path, csv_text(COLUMNS, rows).encode("cp1252")))
    assert info["log"]["encoding"] == "windows-1252"
    assert loaded[2][7] == "Tukang Batu – Kayu"


@pytest.mark.parametrize("chunk", [3, 4, 5, 7, 1 << 22])
def test_the_encoding_is_judged_alike_whatever_chunks_the_bytes_are_hashed_in(tmp_path, monkeypatch, chunk):
    """The pass that hashes a file judges its encoding chunk by chunk (ingest/landing.py): a character split
    between two chunks is no stray byte, and a stray byte or a UTF-8 sequence is found at any offset."""
    from ingest import landing

    monkeypatch.setattr(landing, "_CHUNK", chunk)
    utf8 = csv_text(COLUMNS, variant_rows(PEKERJAAN=["Pendéta", "Guru – Honorer", "Tukang 🛠"]))
    cp1252 = csv_text(COLUMNS, variant_rows(PEKERJAAN=["Pendéta", "Guru – Honorer", "Tukang"])).encode("cp1252")
    cases = {
        "utf-8": utf8.encode(),
        "utf-8 with BOM": b"\xef\xbb\xbf" + utf8.encode(),
        "windows-1252": cp1252,
        "utf-8 with a stray byte": utf8.encode() + b"\xe9\n",
        "windows-1252 with a utf-8 sequence": cp1252 + "Pendéta\n".encode(),
        "ends inside a character": utf8.encode() + "é".encode()[:1],
        "undefined in windows-1252": cp1252.replace(b"Tukang", b"Tuk\x81ng"),
    }
    judged = {}
    for case, content in cases.items():
        info, _ = load(write(tmp_path, content))
        judged[case] = info["log"]["encoding"] or info["log"]["message"]
    mixed = "the file is UTF-8 but byte 0x{:02x} at offset {} is not: expected one encoding throughout (UTF-8 or Windows-1252)"
    assert judged == {
        "utf-8": "utf-8",
        "utf-8 with BOM": "utf-8-sig",
        "windows-1252": "windows-1252",
        "utf-8 with a stray byte": mixed.format(0xE9, len(utf8.encode())),
        "windows-1252 with a utf-8 sequence": mixed.format(0xE9, cp1252.index("é".encode("cp1252"))),
        "ends inside a character": mixed.format(0xC3, len(utf8.encode())),
        "undefined in windows-1252": f"unsupported encoding: byte 0x81 at offset {cp1252.index(b'Tukang') + 3} "
        "is not valid UTF-8 or Windows-1252 (save the file as UTF-8)",
    }


def test_reordered_and_extra_columns_are_named_in_the_load_log(tmp_path, plain):
    order = list(reversed(range(len(COLUMNS))))
    header = [COLUMNS[i] for i in order] + ["KETERANGAN"]
    rows = [[row[i] for i in order] + ["catatan"] for row in variant_rows()]
    info, loaded = load(write(tmp_path, csv_text(header, rows)))
    assert loaded == plain
    assert info["log"]["extra_columns"] == "KETERANGAN"
    assert "KETERANGAN" in info["log"]["message"]


def test_blank_lines_are_skipped_but_counted_in_row_numbers(tmp_path, plain):
    lines = csv_text(COLUMNS, variant_rows()).splitlines()
    text = "\n".join(["", lines[0], lines[1], "", ",,,", lines[2], lines[3]]) + "\n"
    path = write(tmp_path, text.replace(lines[3], lines[3].replace("8104012012000003", "81040120120000")))
    info, loaded = load(path)
    assert info["log"]["rows_read"] == 3 and info["log"]["rows_refused"] == 1
    conn = duckdb.connect()
    load_file_with_schema(conn, path)
    assert conn.execute("select row_number, reason, column_name from audit.refused_rows").fetchall() == [
        (5, "NIK_INVALID", "NIK")  # header, row 1, blank (2), blank cells (3), row 4, the bad row is 5
    ]
    assert loaded == plain[:2]


def write_xlsx(path: Path, title_rows: int, kpj_as_number: bool, total_row: bool, nik_as_number: bool = False) -> Path:
    workbook = xlsxwriter.Workbook(path)
    workbook.set_properties({"created": dt.datetime(2024, 6, 1)})
    sheet = workbook.add_worksheet("Peserta")
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    stamp_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    row = 0
    for i in range(title_rows):
        sheet.write_string(row, 0, f"DAFTAR PESERTA BPJS KETENAGAKERJAAN {i}")
        row += 1
    if title_rows:
        row += 1  # a blank row under the title
    sheet.write_row(row, 0, COLUMNS)
    for person in PEOPLE:
        row += 1
        (
            kpj,
            nik,
            name,
            birth,
            sex,
            regency,
            district,
            segmen,
            occupation,
            payer,
            programs,
            wage,
            joined,
            paid,
            status,
            updated,
        ) = person
        if kpj_as_number:
            sheet.write_number(row, 0, int(kpj))
        else:
            sheet.write_string(row, 0, kpj)
        if nik_as_number:  # exact: these NIKs are below 2**53
            sheet.write_number(row, 1, int(nik))
        else:
            sheet.write_string(row, 1, nik)
        sheet.write_string(row, 2, name)
        sheet.write_datetime(row, 3, dt.datetime.combine(birth, dt.time()), date_format)
        for col, value in (
            (4, sex),
            (5, regency),
            (6, district),
            (7, segmen),
            (8, occupation),
            (9, payer),
            (10, programs),
        ):
            if value is not None:
                sheet.write_string(row, col, value)
        if wage is not None:
            sheet.write_number(row, 11, wage)
        sheet.write_datetime(row, 12, dt.datetime.combine(joined, dt.time()), date_format)
        if paid:
            sheet.write_string(row, 13, paid)
        sheet.write_string(row, 14, status)
        sheet.write_datetime(row, 15, updated, stamp_format)
    if total_row:
        sheet.write_string(row + 2, 0, "JUMLAH")
        sheet.write_number(row + 2, 11, sum(p[11] or 0 for p in PEOPLE))
    workbook.close()
    return path


@pytest.mark.parametrize(
    ("title_rows", "kpj_as_number", "total_row", "nik_as_number"),
    [(0, False, False, False), (3, True, True, False), (10, True, True, True)],
)
def test_xlsx_loads_like_its_plain_twin(tmp_path, plain, title_rows, kpj_as_number, total_row, nik_as_number):
    path = write_xlsx(tmp_path / "kepesertaan_20240531_sheet.xlsx", title_rows, kpj_as_number, total_row, nik_as_number)
    info, rows = load(path)
    assert info["outcome"].status == "LOADED", info["outcome"].message
    assert (info["log"]["rows_read"], info["log"]["rows_refused"]) == (3, 0)
    assert rows == plain


# Refused whole ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected_message"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02PK\x03\x04binary", "NUL"),
        ("NO_KPJ,NIK\n".encode("utf-16"), "NUL"),
        (b"NO_KPJ,NIK,KAB_KOTA\n\x81\x8d\x8f,x,y\n", "encoding"),
        (csv_text([c for c in COLUMNS if c != "STATUS"], [r[:14] + r[15:] for r in variant_rows()]).encode(), "STATUS"),
        (csv_text(COLUMNS, variant_rows(PEKERJAAN=["Pendéta", "Guru", "Tukang"])).encode() + b"\xe9\n", "UTF-8"),
    ],
    ids=["zero bytes", "binary", "utf-16", "undecodable", "missing column", "utf-8 with a stray byte"],
)
def test_files_outside_the_spec_are_refused_with_a_reason(tmp_path, content, expected_message):
    info, rows = load(write(tmp_path, content))
    assert info["log"]["status"] == "REFUSED"
    assert expected_message in info["log"]["message"]
    assert rows == []


def test_a_csv_cut_mid_row_is_refused_whole(tmp_path):
    text = csv_text(COLUMNS, variant_rows())
    info, rows = load(write(tmp_path, text[: text.rindex("NONAKTIF") - 5]))
    assert info["log"]["status"] == "REFUSED" and "cut short" in info["log"]["message"]
    assert rows == []
    # The same file whole, or ending without a line end but complete, loads.
    assert load(write(tmp_path, text.rstrip("\n"), "kepesertaan_20240601.csv"))[0]["log"]["status"] == "LOADED"


def test_a_broken_workbook_is_refused(tmp_path):
    good = write_xlsx(tmp_path / "good.xlsx", 0, False, False).read_bytes()
    info, _rows = load(write(tmp_path, good[: len(good) // 2], "kepesertaan_20240531.xlsx"))
    assert info["log"]["status"] == "REFUSED" and "XLSX" in info["log"]["message"]


@pytest.mark.parametrize(
    ("name", "source", "status"),
    [
        ("kepesertaan_20240531.csv", "kepesertaan", None),
        ("KEPESERTAAN_20240531_malteng.CSV", "kepesertaan", None),
        ("anggaran_20240630_pemprov.xlsx", "anggaran", None),
        ("angkatan_kerja_2024.csv", "angkatan_kerja", None),
        ("angkatan_kerja_20240101.csv", None, "YYYY"),
        ("kepesertaan_2024.csv", None, "YYYYMMDD"),
        ("kepesertaan_20240231.csv", None, "calendar"),
        ("kepesertaan_20240531.xls", None, ".xls"),
        ("catatan.txt", None, "matches no source"),
        ("~$kepesertaan_20240531.xlsx", None, "matches no source"),
    ],
)
def test_file_names(name, source, status):
    landed = identify(Path(name))
    assert landed.source == source
    if status:
        assert status in landed.why_ignored
