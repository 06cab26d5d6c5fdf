"""The warehouse tables the ingest writes: append-only raw tables and the audit trail."""

from pathlib import Path

import duckdb

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

-- One row per good dbt build: what it was built from, and when the analyst database got it.
create table if not exists audit.builds (
    built_at            timestamp not null,
    project_fingerprint varchar not null,
    load_watermark      integer not null,
    raw_rows            bigint not null,
    full_refresh        boolean not null,
    published_at        timestamp
);

create table if not exists raw.kepesertaan (
    load_id         integer not null,
    file_name       varchar not null,
    extract_date    date not null,
    row_number      bigint not null,
    no_kpj          varchar not null,
    person_id       varchar not null,
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
"""

def ensure_schema(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(DDL)


def database_file(conn: duckdb.DuckDBPyConnection) -> Path | None:
    """The file the connection's database lives in; None for an in-memory database."""
    path = conn.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()[0]
    return Path(path) if path else None
