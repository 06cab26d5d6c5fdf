"""What the ingest promises beyond parsing: one transaction per file, findings counted, files loaded once."""

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from ingest import insert as insert_module
from ingest import load as load_module
from ingest.landing import landed_files
from ingest.load import load_landing
from ingest.warehouse import ensure_schema

KEY = b"guarantee-test-key"
HEADER = "NO_KPJ,NIK,NAMA,TGL_LAHIR,JENIS_KELAMIN,KAB_KOTA,SEGMEN,SUMBER_IURAN,UPAH,TGL_KEPESERTAAN,STATUS,TGL_UPDATE"


def rows(*lines: str) -> str:
    return "\n".join([HEADER, *lines]) + "\n"


GOOD = rows(
    # born 15 May 1985, a man: agrees with the NIK
    "00000000001,8171011505850001,Satu,15/05/1985,L,Ambon,BPU,MANDIRI,1.000.000,01/01/2024,AKTIF,2024-05-15 10:00:00",
    # the NIK says a woman born 15 June 1990: birth date and sex disagree, the row still loads
    "00000000002,8171015506900002,Dua,16/06/1990,L,Ambon,BPU,MANDIRI,abc,01/01/2024,AKTIF,2024-05-15 10:00:00",
    "00000000003,1234,Tiga,01/01/1990,L,Ambon,BPU,MANDIRI,,01/01/2024,AKTIF,2024-05-15 10:00:00",
)


@pytest.fixture
def conn():
    connection = duckdb.connect()
    ensure_schema(connection)
    return connection


def test_findings_are_counted_and_invalid_optional_values_made_null(conn, tmp_path):
    (tmp_path / "kepesertaan_20240531.csv").write_text(GOOD)
    (outcome,) = load_landing(conn, tmp_path, KEY, lambda _: None)
    assert (outcome.rows_read, outcome.rows_loaded, outcome.rows_refused) == (3, 2, 1)
    findings = conn.execute("select column_name, finding, rows from audit.findings order by all").fetchall()
    assert findings == [
        ("JENIS_KELAMIN", "NIK_SEX_MISMATCH", 1),
        ("TGL_LAHIR", "NIK_BIRTHDATE_MISMATCH", 1),
        ("UPAH", "MONEY_INVALID", 1),
    ]
    # The card is stored as an integer; its 11 digits, leading zeros included, come back with lpad.
    cards = "select lpad(cast(no_kpj as varchar), 11, '0'), wage_idr, birth_year from raw.kepesertaan order by no_kpj"
    assert conn.execute(cards).fetchall() == [
        ("00000000001", 1000000, 1985),
        ("00000000002", None, 1990),
    ]


def test_a_file_that_fails_midway_leaves_no_trace(conn, tmp_path, monkeypatch):
    (tmp_path / "kepesertaan_20240531.csv").write_text(GOOD)

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    # Fail after the rows are inserted, before the load-log row: the whole file must roll back.
    monkeypatch.setattr(load_module, "now_local", explode)
    with pytest.raises(RuntimeError):
        load_landing(conn, tmp_path, KEY, lambda _: None)
    for table in ("raw.kepesertaan", "audit.refused_rows", "audit.findings", "audit.load_log"):
        assert conn.execute(f"select count(*) from {table}").fetchone()[0] == 0, table
    monkeypatch.undo()
    (outcome,) = load_landing(conn, tmp_path, KEY, lambda _: None)
    assert outcome.status == "LOADED" and outcome.rows_loaded == 2


def test_each_file_is_logged_once_and_identical_bytes_load_once(conn, tmp_path):
    (tmp_path / "kepesertaan_20240531.csv").write_text(GOOD)
    (tmp_path / "kepesertaan_20240531_lagi.csv").write_text(GOOD)
    (tmp_path / "catatan.txt").write_text("bukan data")
    first = load_landing(conn, tmp_path, KEY, lambda _: None)
    assert [(o.file_name, o.status) for o in first] == [
        ("catatan.txt", "IGNORED"),
        ("kepesertaan_20240531.csv", "LOADED"),
        ("kepesertaan_20240531_lagi.csv", "DUPLICATE"),
    ]
    (tmp_path / "kepesertaan_20240601.csv").write_text(GOOD)  # same bytes again, a day later
    second = load_landing(conn, tmp_path, KEY, lambda _: None)
    assert [(o.file_name, o.status) for o in second] == [("kepesertaan_20240601.csv", "DUPLICATE")]
    assert load_landing(conn, tmp_path, KEY, lambda _: None) == []
    assert conn.execute("select count(*) from audit.load_log").fetchone()[0] == 4
    assert conn.execute("select count(*) from raw.kepesertaan").fetchone()[0] == 2


def test_the_pseudonym_is_the_hmac_of_the_nik_and_no_nik_is_stored(conn, tmp_path):
    from ingest.pseudonym import pseudonym

    (tmp_path / "kepesertaan_20240531.csv").write_text(GOOD)
    load_landing(conn, tmp_path, KEY, lambda _: None)
    stored = dict(conn.execute("select no_kpj, person_id from raw.kepesertaan").fetchall())
    assert stored[1] == pseudonym(KEY, "8171011505850001")  # card 00000000001, stored as an integer
    dump = str(conn.execute("select * from raw.kepesertaan").fetchall())
    assert "8171011505850001" not in dump and "Satu" not in dump


def test_a_warehouse_of_hex_pseudonyms_keeps_its_people_as_128_bit_pseudonyms(conn, tmp_path):
    """Pseudonyms were once stored as 64 hex digits (in warehouses made before schema versions were recorded):
    the schema's migration converts them to what loading makes now, so a person loaded before and after the
    change is still one person."""
    import hashlib
    import hmac

    from ingest.pseudonym import pseudonym

    (tmp_path / "kepesertaan_20240531.csv").write_text(GOOD)
    load_landing(conn, tmp_path, KEY, lambda _: None)
    conn.execute("drop table pipeline.schema_version")
    conn.execute("alter table raw.kepesertaan alter person_id set data type varchar")
    old = hmac.new(KEY, b"8171011505850001", hashlib.sha256).hexdigest()
    conn.execute("update raw.kepesertaan set person_id = ? where no_kpj = '00000000001'", [old])
    ensure_schema(conn)
    stored = dict(conn.execute("select no_kpj, person_id from raw.kepesertaan").fetchall())
    assert stored[1] == pseudonym(KEY, "8171011505850001")  # card 00000000001, stored as an integer


def test_landed_files_are_taken_in_name_order(tmp_path):
    for name in ("kepesertaan_20240601.csv", "anggaran_20240101.xlsx", "kepesertaan_20240531.csv"):
        (tmp_path / name).write_text("x")
    assert [f.name for f in landed_files(tmp_path)] == [
        "anggaran_20240101.xlsx",
        "kepesertaan_20240531.csv",
        "kepesertaan_20240601.csv",
    ]
    assert [f.extract_date for f in landed_files(tmp_path)][1] == dt.date(2024, 5, 31)


def test_scratch_files_holding_niks_do_not_outlive_the_load(tmp_path):
    """Batches on their way into DuckDB and a Windows-1252 file's UTF-8 copy hold NIKs: they live in a
    folder only the owner opens, beside the warehouse, and what a killed refresh left is cleared."""
    landing = tmp_path / "landing"
    landing.mkdir()
    (landing / "kepesertaan_20240515.csv").write_bytes(GOOD.replace("Satu", "Satu Pérez").encode("cp1252"))
    warehouse = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    scratch = tmp_path / ".warehouse.duckdb.scratch"
    scratch.mkdir(mode=0o700)
    (scratch / "batch-left-by-a-killed-run").mkdir()
    (scratch / "batch-left-by-a-killed-run" / "rows.parquet").write_bytes(b"8171011505850001")

    (outcome,) = load_landing(warehouse, landing, KEY, lambda _: None)

    assert (outcome.status, outcome.encoding, outcome.rows_loaded) == ("LOADED", "windows-1252", 2)
    assert list(scratch.iterdir()) == []
    assert scratch.stat().st_mode & 0o777 == 0o700


def _cached_mib(connection: duckdb.DuckDBPyConnection, tag: str) -> float:
    (mib,) = connection.execute(
        "select coalesce(sum(memory_usage_bytes), 0) / 2 ** 20 from duckdb_memory() where tag = ?", [tag]
    ).fetchone()
    return mib


def test_a_long_file_does_not_keep_what_it_already_wrote_in_memory(tmp_path):
    """Rows a file's open transaction has written are on disk: the ingest lets go of them batch by batch,
    so memory does not grow with the file."""
    warehouse = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    warehouse.execute(f"set memory_limit = '{insert_module.INGEST_MEMORY_LIMIT}'")
    warehouse.begin()
    warehouse.execute("create table written as select range as n, md5(range::varchar) as h from range(4000000)")
    assert _cached_mib(warehouse, "BASE_TABLE") > 48
    ingest_limit = warehouse.execute("select current_setting('memory_limit')").fetchone()

    insert_module.drop_cached_blocks(warehouse)

    assert _cached_mib(warehouse, "BASE_TABLE") < 16
    assert warehouse.execute("select current_setting('memory_limit')").fetchone() == ingest_limit
    assert warehouse.execute("select count(*) from written").fetchone() == (4_000_000,)
    warehouse.commit()


def test_memory_duckdb_cannot_let_go_of_does_not_abort_the_file(tmp_path):
    """Lowering DuckDB's limit fails when what it holds cannot be evicted; the file's transaction goes on,
    and the ingest's limit is back."""
    warehouse = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    warehouse.execute("set temp_directory = ''")  # nowhere to spill: the rows below cannot leave memory
    warehouse.execute(f"set memory_limit = '{insert_module.INGEST_MEMORY_LIMIT}'")
    warehouse.begin()
    warehouse.execute("create temporary table held as select range as n, md5(range::varchar) as h from range(2000000)")
    assert _cached_mib(warehouse, "IN_MEMORY_TABLE") > 64
    ingest_limit = warehouse.execute("select current_setting('memory_limit')").fetchone()
    with warehouse.cursor() as side, pytest.raises(duckdb.OutOfMemoryException):  # what the ingest meets
        side.execute(f"set memory_limit = '{insert_module.CACHE_AFTER_BATCH}'")
    with warehouse.cursor() as side:  # DuckDB keeps the limit it could not meet: put the ingest's back
        side.execute(f"set memory_limit = '{insert_module.INGEST_MEMORY_LIMIT}'")

    insert_module.drop_cached_blocks(warehouse)

    assert warehouse.execute("select count(*) from held").fetchone() == (2_000_000,)
    warehouse.commit()
    assert warehouse.execute("select current_setting('memory_limit')").fetchone() == ingest_limit


def _nine_valid_rows(tmp_path) -> Path:
    """A landing folder holding one enrolment file of nine valid rows."""
    landing = tmp_path / "landing"
    landing.mkdir()
    lines = [
        f"{n:011d},81710115058500{n % 100:02d},Orang,15/05/1985,L,Ambon,BPU,MANDIRI,1.000.000,01/01/2024,"
        "AKTIF,2024-05-15 10:00:00"
        for n in range(1, 10)
    ]
    (landing / "kepesertaan_20240531.csv").write_text(rows(*lines))
    return landing


def test_a_file_failing_after_some_of_its_batches_are_written_leaves_no_trace(tmp_path, monkeypatch):
    """A long file goes in batch by batch, and what is written is let go of from memory; a failure at a
    later batch still takes the whole file back, and the same file loads whole next time."""
    from ingest import read_csv

    landing = _nine_valid_rows(tmp_path)
    warehouse = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    monkeypatch.setattr(read_csv, "BATCH_ROWS", 2)  # nine rows: five batches, inserted one at a time
    inserts, insert_rows, drops = [], insert_module.insert_rows, []
    drop_cached_blocks = insert_module.drop_cached_blocks
    monkeypatch.setattr(insert_module, "drop_cached_blocks", lambda conn: drops.append(drop_cached_blocks(conn)))

    def fail_at_the_third_insert(conn, landed, load_id, rows):
        inserts.append(rows.height)
        if len(inserts) == 3:
            assert conn.execute("select count(*) from raw.kepesertaan").fetchone() == (4,)
            raise OSError("disk full")
        insert_rows(conn, landed, load_id, rows)

    monkeypatch.setattr(load_module, "insert_rows", fail_at_the_third_insert)
    with pytest.raises(OSError, match="disk full"):
        load_landing(warehouse, landing, KEY, lambda _: None)
    assert inserts == [2, 2, 2]
    assert len(drops) == 2  # what each insert wrote was let go of before the next
    assert [p for p in (tmp_path / ".warehouse.duckdb.scratch").rglob("*") if p.is_file()] == []
    for table in ("raw.kepesertaan", "audit.refused_rows", "audit.findings", "audit.load_log"):
        assert warehouse.execute(f"select count(*) from {table}").fetchone() == (0,), table

    monkeypatch.setattr(load_module, "insert_rows", insert_rows)
    (outcome,) = load_landing(warehouse, landing, KEY, lambda _: None)
    assert (outcome.status, outcome.rows_loaded) == ("LOADED", 9)
    assert warehouse.execute("select count(*), count(distinct row_number) from raw.kepesertaan").fetchone() == (9, 9)


def test_a_long_file_says_how_far_its_read_has_come(tmp_path, monkeypatch):
    """Between "1 new file" and its LOADED line, the run's log says every few seconds how many rows have been
    read, of about how many, and how fast (here every batch of two rows)."""
    from ingest import progress, read_csv

    landing = _nine_valid_rows(tmp_path)
    monkeypatch.setattr(read_csv, "BATCH_ROWS", 2)
    monkeypatch.setattr(progress, "EVERY_S", 0)
    said: list[str] = []
    load_landing(duckdb.connect(str(tmp_path / "warehouse.duckdb")), landing, KEY, said.append)
    read = [line for line in said if "rows read" in line]
    assert read[0].startswith("kepesertaan_20240531.csv: 2 rows read of about 10 (20%)")
    assert read[-1].startswith("kepesertaan_20240531.csv: 9 rows read of about 10 (90%)")
    assert "LOADED" in said[-1]
