"""The warehouse tables the ingest writes: append-only raw tables, the audit trail and the pipeline's own state,
and the versioned migrations that make and change them (common/migrations.py)."""

import re
from pathlib import Path

import duckdb

from common.ddl import without_constraints
from common.lake import is_lake
from common.migrations import Migration, migrate
from ingest.pseudonym import hex_to_pseudonym

# Which tables these migrations own in `pipeline.schema_version`: raw.*, audit.* (not audit.builds, which
# orchestration/build_state.py makes) and pipeline.*.
COMPONENT = "ingest"

# Version 1: the tables as they were when versions began to be recorded. Written with `if not exists` so that a
# warehouse made before then (which has some of them) is brought to the same place. Never edit it: a change to
# these tables is a new migration at the end of MIGRATIONS.
DDL = """
create schema if not exists raw;
create schema if not exists audit;
create sequence if not exists audit.load_id_seq;

create table if not exists audit.load_log (
    load_id       integer primary key,
    file_name     varchar not null unique,
    source        varchar,
    extract_date  date,
    sha256        varchar,
    status        varchar not null check (status in ('LOADED', 'DUPLICATE', 'REFUSED', 'IGNORED')),
    rows_read     bigint,
    rows_loaded   bigint,
    rows_refused  bigint,
    message       varchar,
    loaded_at     timestamp not null,
    file_format   varchar,
    encoding      varchar,
    delimiter     varchar,
    extra_columns varchar
);

-- Every delivery of every file name, revisions included, as the load log described it when it was the
-- name's current one; replaced_at says when a revision took its place. The landed file's size and
-- modification time as last seen let a refresh skip hashing a file that has not changed.
create table if not exists audit.deliveries (
    load_id       integer primary key,
    file_name     varchar not null,
    source        varchar,
    extract_date  date,
    sha256        varchar,
    status        varchar not null check (status in ('LOADED', 'DUPLICATE', 'REFUSED', 'IGNORED')),
    rows_read     bigint,
    rows_loaded   bigint,
    rows_refused  bigint,
    message       varchar,
    loaded_at     timestamp not null,
    replaced_at   timestamp,
    file_size     bigint,
    file_mtime_ns bigint
);

create table if not exists audit.refused_rows (
    file_name    varchar not null,
    row_number   bigint not null,
    reason       varchar not null,
    column_name  varchar not null,
    masked_value varchar
);

create table if not exists audit.findings (
    file_name   varchar not null,
    column_name varchar not null,
    finding     varchar not null,
    rows        bigint not null
);

create table if not exists raw.kepesertaan (
    load_id         integer not null,
    file_name       varchar not null,
    extract_date    date not null,
    row_number      bigint not null,
    no_kpj          varchar not null,
    person_id       uhugeint not null,  -- the NIK's pseudonym (ingest/pseudonym.py)
    birth_year      smallint,
    sex             varchar,
    regency_code    varchar not null,
    district        varchar,
    segmen          varchar not null,
    occupation      varchar,
    sumber_iuran    varchar not null,
    programs        varchar,
    wage_idr        decimal(18, 2),
    membership_date date not null,
    last_paid_month date,
    status          varchar not null,
    updated_at      timestamp not null
);

-- The memberships (and their holders) of enrolment rows a revision withdrew, by the revision's load_id:
-- an incremental build recomputes them though no loaded row names them any more.
create table if not exists raw.kepesertaan_withdrawn (
    load_id   integer not null,
    file_name varchar not null,
    no_kpj    varchar not null,
    person_id uhugeint not null
);

create table if not exists raw.anggaran (
    load_id          integer not null,
    file_name        varchar not null,
    extract_date     date not null,
    row_number       bigint not null,
    fiscal_year      integer not null,
    owner_code       varchar not null,
    opd_name         varchar not null,
    sector           varchar not null,
    targeted_workers bigint not null,
    pagu_idr         decimal(18, 2) not null,
    realisasi_idr    decimal(18, 2) not null
);

create table if not exists raw.angkatan_kerja (
    load_id          integer not null,
    file_name        varchar not null,
    extract_date     date not null,
    row_number       bigint not null,
    year             integer not null,
    regency_code     varchar not null,
    sector           varchar not null,
    eligible_workers bigint not null
);

-- The pipeline's own state, never published: a check value of the pseudonym key the warehouse's
-- pseudonyms are made under (an HMAC of a fixed label, never the key).
create schema if not exists pipeline;
create table if not exists pipeline.pseudonym_key (
    check_value varchar not null,
    recorded_at timestamp not null,
    remade      boolean not null  -- every pseudonym was remade under this key (a deliberate change)
);
"""

# A warehouse made before deliveries were kept: its load log is the first delivery of each name.
_BACKFILL_DELIVERIES = """
insert into audit.deliveries
select load_id, file_name, source, extract_date, sha256, status, rows_read, rows_loaded, rows_refused,
       message, loaded_at, null, null, null
from audit.load_log
where load_id not in (select load_id from audit.deliveries)
"""


def _compact_pseudonyms(conn: duckdb.DuckDBPyConnection) -> None:
    """A warehouse made when pseudonyms were 64-character hex: the same pseudonyms as 128-bit integers
    (their first 32 hex digits, as ingest/pseudonym.py now makes them). The dbt project changed with them,
    so the next build is a full one."""
    for table in ("kepesertaan", "kepesertaan_withdrawn"):
        row = conn.execute(
            "select data_type from duckdb_columns() where database_name = current_database() "
            "and schema_name = 'raw' and table_name = ? and column_name = 'person_id'",
            [table],
        ).fetchone()
        if row is not None and row[0] == "VARCHAR":
            conn.execute(
                f"alter table raw.{table} alter person_id set data type uhugeint using {hex_to_pseudonym('person_id')}"
            )


def _integer_cards(conn: duckdb.DuckDBPyConnection) -> None:
    """Membership numbers as integers, not 11-character text: always 11 digits (the ingest refuses any other),
    so `lpad(no_kpj, 11, '0')` gives the text back. A 10M-row delivery stored them as distinct strings, which
    DuckDB compresses string by string (FSST): about a quarter of the insert's time, for a key history
    converts to an integer anyway."""
    for table in ("kepesertaan", "kepesertaan_withdrawn"):
        conn.execute(f"alter table raw.{table} alter no_kpj set data type bigint using cast(no_kpj as bigint)")


def _coded_columns(conn: duckdb.DuckDBPyConnection) -> None:
    """The enrolment columns that hold a code from a fixed list (extracts.md) as DuckDB ENUMs, not text: the ingest
    refuses any other value, and an ENUM is stored and compressed as a small integer, where text is looked up in
    a dictionary row by row as it is written (the larger part of the insert's time for a 10M-row delivery).
    Anonymous ENUM types, so that whatever reads the table's column types (dbt's unit-test fixtures) can spell them.
    The values are written out here, not read from codes.py: a migration, once released, must make the same
    tables on every warehouse, so a new code is a new migration (tests/test_schema_versions.py says when one is due)."""
    programs = [",".join(p for i, p in enumerate(_PROGRAMS_V5) if mask >> i & 1) for mask in range(1, 2**5)]
    for column, values in (*_CODES_V5, ("programs", programs)):
        enum = f"enum({', '.join(repr(v) for v in sorted(values))})"
        conn.execute(f"alter table raw.kepesertaan alter {column} set data type {enum} using cast({column} as {enum})")


# The spec's codes when migration 5 was written (ingest/codes.py holds the ingest's own, with their spellings).
_CODES_V5 = (
    ("sex", ("L", "P")),
    ("segmen", ("BPU", "JAKON", "PMI", "PU")),
    ("sumber_iuran", ("APBDES", "APBD_KAB", "APBD_PROV", "CSR", "MANDIRI", "PEMBERI_KERJA")),
    ("status", ("AKTIF", "NONAKTIF")),
)
_PROGRAMS_V5 = ("JKK", "JKM", "JHT", "JP", "JKP")


MIGRATIONS = (
    Migration(1, "raw, audit and pipeline tables", lambda conn: conn.execute(DDL)),
    Migration(2, "every load-log row listed as a delivery", lambda conn: conn.execute(_BACKFILL_DELIVERIES)),
    Migration(3, "pseudonyms as 128-bit integers, not hex", _compact_pseudonyms),
    Migration(4, "membership numbers as integers, not text", _integer_cards),
    Migration(5, "code columns of enrolment rows as ENUMs, not text", _coded_columns),
)
SCHEMA_VERSION = len(MIGRATIONS)


def _lake_tables(conn: duckdb.DuckDBPyConnection) -> None:
    """A lake starts at version 5 in one step: the tables of version 1 without constraints, with membership
    numbers as integers (a lake changes a column's type only by widening it). Its code columns stay text: a
    DuckLake has no ENUM type, and the models read either alike."""
    conn.execute(re.sub(r"no_kpj(\s+)varchar", r"no_kpj\1bigint ", without_constraints(DDL)))


# A lake's versions: the same numbers (a later migration is added to both lists and must run on both), versions
# 2–5 made by its first.
LAKE_MIGRATIONS = (
    Migration(1, "raw, audit and pipeline tables at version 5, as a lake holds them", _lake_tables),
    *(Migration(m.version, f"{m.description} (so from version 1)", lambda conn: None) for m in MIGRATIONS[1:5]),
)


def ensure_schema(conn: duckdb.DuckDBPyConnection) -> list[Migration]:
    """Bring the warehouse's tables to this code's schema version, each migration once and in order; the
    migrations applied (none when it was up to date). A warehouse at a newer version is refused
    (common.migrations.SchemaTooNew), naming its file and both versions."""
    if is_lake(conn):
        return migrate(conn, COMPONENT, LAKE_MIGRATIONS, f"the lake {current_database(conn)}")
    where = database_file(conn)
    return migrate(conn, COMPONENT, MIGRATIONS, str(where) if where else "(in memory)")


def current_database(conn: duckdb.DuckDBPyConnection) -> str:
    return conn.execute("select current_database()").fetchone()[0]


def database_file(conn: duckdb.DuckDBPyConnection) -> Path | None:
    """The file the connection's database lives in; None for an in-memory database or a lake (its files are the
    lake's own)."""
    path, kind = conn.execute(
        "select path, type from duckdb_databases() where database_name = current_database()"
    ).fetchone() or (None, None)
    return Path(path) if path and kind == "duckdb" else None


def next_load_id(conn: duckdb.DuckDBPyConnection) -> int:
    """A new delivery's load_id: the file's sequence; on a lake (no sequences), one more than any delivery's, safe
    because one refresh at a time writes a province (the writers' lock)."""
    if is_lake(conn):
        return conn.execute(
            "select greatest((select coalesce(max(load_id), 0) from audit.deliveries), "
            "(select coalesce(max(load_id), 0) from audit.load_log)) + 1"
        ).fetchone()[0]
    return conn.execute("select nextval('audit.load_id_seq')").fetchone()[0]
