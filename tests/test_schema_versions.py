"""The warehouse's schema is versioned (ingest/warehouse.py, common/migrations.py): a new warehouse gets the latest
version, one made before versions were recorded is migrated once, and one written by newer code is refused."""

import hashlib

import duckdb
import pytest

from common.migrations import SchemaTooNew
from ingest.warehouse import COMPONENT, SCHEMA_VERSION, ensure_schema

# A warehouse as the ingest made it before deliveries, withdrawn rows and the key's check value were kept, its
# pseudonyms 64 hex digits (ingest/warehouse.py before the versioned schema): the tables that matter here.
OLD_STYLE_DDL = """
create schema raw;
create schema audit;
create sequence audit.load_id_seq;
create table audit.load_log (
    load_id integer primary key, file_name varchar not null unique, source varchar, extract_date date,
    sha256 varchar, status varchar not null, rows_read bigint, rows_loaded bigint, rows_refused bigint,
    message varchar, loaded_at timestamp not null, file_format varchar, encoding varchar, delimiter varchar,
    extra_columns varchar
);
create table raw.kepesertaan (
    load_id integer not null, file_name varchar not null, extract_date date not null, row_number bigint not null,
    no_kpj varchar not null, person_id varchar not null, birth_year smallint, sex varchar,
    regency_code varchar not null, district varchar, segmen varchar not null, occupation varchar,
    sumber_iuran varchar not null, programs varchar, wage_idr decimal(18, 2), membership_date date not null,
    last_paid_month date, status varchar not null, updated_at timestamp not null
);
"""
HEX = hashlib.sha256(b"not a NIK: an old pseudonym's stand-in").hexdigest()


def _versions(conn) -> list[int]:
    return [v for (v,) in conn.execute("select version from pipeline.schema_version order by version").fetchall()]


def _old_style(path) -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect(str(path))
    conn.execute(OLD_STYLE_DDL)
    conn.execute(
        "insert into audit.load_log (load_id, file_name, source, status, rows_read, rows_loaded, rows_refused, "
        "loaded_at) values (1, 'kepesertaan_20240531.csv', 'kepesertaan', 'LOADED', 1, 1, 0, '2024-06-01 06:00')"
    )
    conn.execute(
        "insert into raw.kepesertaan values (1, 'kepesertaan_20240531.csv', '2024-05-31', 1, '00000000001', ?, "
        "1985, 'L', '8171', null, 'BPU', null, 'MANDIRI', null, null, '2024-01-01', null, 'AKTIF', "
        "'2024-05-15 10:00')",
        [HEX],
    )
    return conn


def test_a_new_warehouse_gets_the_latest_version_and_nothing_runs_twice(tmp_path):
    conn = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    applied = ensure_schema(conn)
    assert [m.version for m in applied] == list(range(1, SCHEMA_VERSION + 1))
    assert _versions(conn) == list(range(1, SCHEMA_VERSION + 1))
    assert ensure_schema(conn) == []
    assert _versions(conn) == list(range(1, SCHEMA_VERSION + 1))
    person_id = conn.execute(
        "select data_type from duckdb_columns() where schema_name = 'raw' and table_name = 'kepesertaan' "
        "and column_name = 'person_id'"
    ).fetchone()
    assert person_id == ("UHUGEINT",)


def test_a_warehouse_from_before_versions_is_migrated_once(tmp_path):
    conn = _old_style(tmp_path / "warehouse.duckdb")
    applied = ensure_schema(conn)
    assert [m.version for m in applied] == list(range(1, SCHEMA_VERSION + 1))
    # Its load log became the first delivery of each name; its pseudonyms the first 128 bits of the hex.
    assert conn.execute("select load_id, file_name, replaced_at from audit.deliveries").fetchall() == [
        (1, "kepesertaan_20240531.csv", None)
    ]
    assert conn.execute("select person_id from raw.kepesertaan").fetchall() == [(int(HEX[:32], 16),)]
    # Its cards became integers, their digits kept.
    assert conn.execute("select no_kpj, lpad(cast(no_kpj as varchar), 11, '0') from raw.kepesertaan").fetchall() == [
        (1, "00000000001")
    ]
    assert conn.execute("select count(*) from pipeline.pseudonym_key").fetchone() == (0,)
    stamps = conn.execute("select version, applied_at from pipeline.schema_version order by version").fetchall()

    # Once: a later load-log row is not taken for an old one missing its delivery, nothing is recorded again.
    conn.execute(
        "insert into audit.load_log (load_id, file_name, status, loaded_at) "
        "values (2, 'anggaran_20240601.csv', 'LOADED', '2024-06-02 06:00')"
    )
    assert ensure_schema(conn) == []
    assert conn.execute("select load_id from audit.deliveries").fetchall() == [(1,)]
    assert conn.execute("select version, applied_at from pipeline.schema_version order by version").fetchall() == stamps


def test_a_warehouse_from_newer_code_is_refused_by_name_and_left_alone(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    conn = duckdb.connect(str(path))
    ensure_schema(conn)
    conn.execute(
        "insert into pipeline.schema_version values (?, ?, 'a change this code does not know', now())",
        [COMPONENT, SCHEMA_VERSION + 1],
    )
    conn.execute("drop table audit.findings")  # would be made again by a migration that ran anyway
    with pytest.raises(SchemaTooNew) as refused:
        ensure_schema(conn)
    message = str(refused.value)
    assert str(path) in message
    assert f"version {SCHEMA_VERSION + 1}" in message and f"this code's {SCHEMA_VERSION}" in message
    tables = {
        t for (t,) in conn.execute("select table_name from duckdb_tables() where schema_name = 'audit'").fetchall()
    }
    assert "findings" not in tables


def test_a_migration_that_fails_leaves_its_version_unrecorded(tmp_path):
    from common.migrations import Migration, migrate

    def broken(conn):
        conn.execute("create table raw.half_made (x integer)")
        raise RuntimeError("out of space")

    conn = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    conn.execute("create schema raw")
    steps = (
        Migration(1, "fine", lambda c: c.execute("create table raw.kept (x integer)")),
        Migration(2, "bad", broken),
    )
    with pytest.raises(RuntimeError, match="out of space"):
        migrate(conn, "test", steps, "here")
    assert conn.execute("select version from pipeline.schema_version").fetchall() == [(1,)]
    tables = {t for (t,) in conn.execute("select table_name from duckdb_tables() where schema_name = 'raw'").fetchall()}
    assert tables == {"kept"}


def test_the_code_columns_become_enums_and_keep_their_values(tmp_path):
    """Migration 5: an enrolment row's codes are stored as ENUMs of the spec's values; a warehouse from before
    keeps what it held, and the codes still sort and compare as their text."""
    conn = _old_style(tmp_path / "warehouse.duckdb")
    ensure_schema(conn)
    types = dict(
        conn.execute(
            "select column_name, data_type from duckdb_columns() where schema_name = 'raw' "
            "and table_name = 'kepesertaan' and column_name in ('sex', 'segmen', 'sumber_iuran', 'status', 'programs')"
        ).fetchall()
    )
    assert types["status"] == "ENUM('AKTIF', 'NONAKTIF')" and types["sex"] == "ENUM('L', 'P')"
    assert all(t.startswith("ENUM(") for t in types.values())
    row = conn.execute(
        "select sex, segmen, sumber_iuran, status, programs from raw.kepesertaan where status = 'AKTIF'"
    ).fetchall()
    assert row == [("L", "BPU", "MANDIRI", "AKTIF", None)]


def test_the_stored_enums_hold_every_code_the_ingest_makes():
    """Migration 5 froze the codes' values: a code added to ingest/codes.py needs a new migration, or its rows
    could not be written."""
    from ingest.codes import JENIS_KELAMIN, PROGRAMS, SEGMEN, STATUS, SUMBER_IURAN
    from ingest.warehouse import _CODES_V5, _PROGRAMS_V5

    frozen = dict(_CODES_V5)
    assert set(JENIS_KELAMIN.values()) <= set(frozen["sex"])
    assert set(SEGMEN.values()) <= set(frozen["segmen"])
    assert set(SUMBER_IURAN.values()) <= set(frozen["sumber_iuran"])
    assert set(STATUS.values()) <= set(frozen["status"])
    assert PROGRAMS == _PROGRAMS_V5
