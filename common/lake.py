"""A DuckLake on PostgreSQL as the warehouse (runtime.md: `CAKUPAN_LAKE_CATALOG`, `CAKUPAN_LAKE_DATA`).

Each province's warehouse is its own DuckLake inside the one catalog database and data folder: its metadata in the
PostgreSQL schema `cakupan_<code>`, its Parquet files under `<data>/<code>/`. A province's refresh then commits its
own snapshots and never conflicts with another's, its tables carry the same names as in a DuckDB file (`raw.*`,
`marts.*`: nothing in the ingest, the models or publishing forks), and an analyst pins one province's published
snapshot. What the provinces share lives in one more lake of the same catalog, `cakupan_national`: the pseudonym
key's check value (a NIK is national) and the national mart of coverage by province.

DuckDB's DuckLake and PostgreSQL extensions come from PyPI packages (pyproject.toml), installed into a folder the
project owns; DuckDB is never asked to download one."""

import fcntl
import importlib.resources
import re
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

PROJECT_ROOT = Path(__file__).resolve().parent.parent
EXTENSION_DIR = PROJECT_ROOT / ".duckdb" / "extensions"
# Extension name → the PyPI package that carries it (the file is `extensions/v<duckdb>/<name>.duckdb_extension`).
EXTENSIONS = {"ducklake": "duckdb_extension_ducklake", "postgres_scanner": "duckdb_extension_postgres_scanner"}
NATIONAL = "national"
# The name a province's lake is attached under: the file warehouse's own name, so relations read the same.
WAREHOUSE_ALIAS = "warehouse"


class LakeMisconfigured(ValueError):
    pass


@dataclass(frozen=True)
class Lake:
    catalog: str  # a PostgreSQL connection string (libpq), e.g. `host=127.0.0.1 port=5432 dbname=cakupan user=cakupan`
    data: str  # a folder, or an object-storage URL (`s3://bucket/cakupan`)

    def metadata_schema(self, province: str) -> str:
        return f"cakupan_{province}"

    def data_path(self, province: str) -> str:
        return f"{self.data.rstrip('/')}/{province}/"

    def attach_sql(
        self, province: str, alias: str = WAREHOUSE_ALIAS, snapshot: int | None = None, read_only: bool = False
    ) -> str:
        """The ATTACH of one province's lake (or the national one), at its latest snapshot or a pinned one."""
        options = [
            f"data_path {_quoted(self.data_path(province))}",
            f"metadata_schema {_quoted(self.metadata_schema(province))}",
        ]
        if snapshot is not None:
            options.append(f"snapshot_version {int(snapshot)}")
        if read_only:
            options.append("read_only")
        return f"attach if not exists {_quoted('ducklake:postgres:' + self.catalog)} as {alias} ({', '.join(options)})"


def lake_from(catalog: str, data: str) -> Lake | None:
    """The lake the settings name; None without a catalog (the warehouse is a DuckDB file)."""
    if not catalog:
        if data:
            raise LakeMisconfigured("CAKUPAN_LAKE_DATA is set but CAKUPAN_LAKE_CATALOG is not: set both, or neither")
        return None
    if not data:
        raise LakeMisconfigured(
            "CAKUPAN_LAKE_CATALOG is set but CAKUPAN_LAKE_DATA is not: a lake needs a folder or object-storage URL "
            "for its data files"
        )
    if "password" in catalog.lower() or re.search(r"://[^/@]*:[^/@]*@", catalog):
        # The string reaches dbt's vars and run results, and a failed connection's error repeats it.
        raise LakeMisconfigured(
            "CAKUPAN_LAKE_CATALOG holds a password: keep it out of the connection string (it would be repeated in "
            "logs and dbt's run results) and give it to libpq instead, in PGPASSWORD or a ~/.pgpass file"
        )
    return Lake(catalog, data)


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def extension_file(name: str) -> Path:
    """The signed extension file its PyPI package ships for this DuckDB."""
    package = importlib.resources.files(EXTENSIONS[name])
    path = Path(str(package / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"))
    if not path.is_file():
        raise LakeMisconfigured(
            f"{EXTENSIONS[name]} has no {name} extension for DuckDB {duckdb.__version__} (expected {path}): "
            "install the package of the same version as duckdb"
        )
    return path


def extension_config() -> dict[str, str | bool | int | float | list[str]]:
    """DuckDB's settings for a connection that may load the lake's extensions: the project's folder only."""
    return {
        "extension_directory": str(EXTENSION_DIR),
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": True,
    }


def install_extensions(conn: duckdb.DuckDBPyConnection) -> None:
    """Install the lake's extensions into the project's folder (once; DuckDB checks each file's signature) and load
    them. The connection must have been opened with `extension_config()`.

    Partitions start at once on a fresh machine: without the lock, one process would find the other's extension
    half-written (listed as installed, its file not yet there) and fail to load it."""
    EXTENSION_DIR.mkdir(parents=True, exist_ok=True)
    with open(EXTENSION_DIR / ".install.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        installed = {
            name
            for name, done in conn.execute("select extension_name, installed from duckdb_extensions()").fetchall()
            if done
        }
        for name in EXTENSIONS:
            if name not in installed:
                conn.install_extension(str(extension_file(name)))
    for name in EXTENSIONS:
        conn.load_extension(name)


def attach(
    conn: duckdb.DuckDBPyConnection,
    lake: Lake,
    province: str,
    alias: str = WAREHOUSE_ALIAS,
    snapshot: int | None = None,
    read_only: bool = False,
    use: bool = True,
) -> None:
    """Attach one province's lake (or the national one) to `conn` and, with `use`, make it the default database."""
    install_extensions(conn)
    conn.execute(lake.attach_sql(province, alias, snapshot, read_only))
    if use:
        conn.execute(f"use {alias}")


# What the provinces share (written with `if not exists`, without constraints: a DuckLake's DDL).
NATIONAL_DDL = """
create schema if not exists national.pipeline;
create table if not exists national.pipeline.pseudonym_key (
    check_value varchar not null,
    recorded_at timestamp not null  -- UTC
);
create schema if not exists national.marts;
create table if not exists national.marts.coverage_by_province (
    province_code    varchar not null,
    province_name    varchar not null,
    as_of            date,
    eligible_workers bigint,
    covered_workers  bigint,
    coverage_rate    double,
    target_rate      double,
    target_basis     varchar,
    snapshot_id      bigint not null,
    published_at     timestamp not null  -- UTC: the provinces' clocks differ
);
"""


def attach_national(conn: duckdb.DuckDBPyConnection, lake: Lake, tries: int = 10) -> None:
    """Attach the lake the provinces share as `national`, its tables made if need be. Its first attach creates its
    catalog tables, and two provinces doing that (or creating its tables) at once collide: DuckLake's initialisation
    is not one transaction. The loser tries again once the winner's are there."""
    for attempt in range(1, tries + 1):
        try:
            attach(conn, lake, NATIONAL, alias="national", use=False)
            conn.execute(NATIONAL_DDL)
            return
        except duckdb.Error:
            if attempt == tries:
                raise
            time.sleep(0.2 * attempt)


def current_snapshot(conn: duckdb.DuckDBPyConnection, alias: str = WAREHOUSE_ALIAS) -> int:
    """The lake's latest snapshot id, as a reader attaching now would see it."""
    return conn.execute("select id from ducklake_current_snapshot(?)", [alias]).fetchone()[0]


def is_lake(conn: duckdb.DuckDBPyConnection) -> bool:
    """Whether the connection's default database is a DuckLake (not a DuckDB file or memory)."""
    kind = conn.execute("select type from duckdb_databases() where database_name = current_database()").fetchone()
    return kind is not None and kind[0] == "ducklake"
