"""On a lake, what a good refresh publishes besides the analyst database: the province's snapshot pinned for analysts,
older snapshots expired and their files removed, and the province's row of the national mart.

- The published snapshot: the lake's snapshot the analyst database was copied from, recorded in
  `pipeline.published_snapshots`. An analyst attaches the province's lake at it (`published_snapshot`,
  `attach_published_sql`) and sees no change while later refreshes commit.
- A lake that only grows is a defect: dbt replaces a table by writing a new one, so every refresh leaves the old
  files behind. Snapshots older than the last `KEEP` published ones are expired and the files only they used are
  deleted; an analyst still reading the previous published snapshot keeps it.
- The national mart, `marts.coverage_by_province` in the national lake (common/lake.py, NATIONAL_DDL): one row per province,
  replaced by each province's publishing. Provinces publish at once: a transaction that meets another's commit is
  retried."""

import contextlib
import datetime as dt
import random
import time

import duckdb

from common.ddl import without_constraints
from common.lake import WAREHOUSE_ALIAS, Lake, attach_national

KEEP = 2  # published snapshots kept readable: the newest and the one analysts may still hold
RETRIES = 20

PUBLISHED_DDL = """
create schema if not exists pipeline;
create table if not exists pipeline.published_snapshots (
    snapshot_id  bigint not null,
    published_at timestamp not null
);
"""


def pin_published(conn: duckdb.DuckDBPyConnection, snapshot: int, published_at: dt.datetime) -> list[int]:
    """Record `snapshot` as the province's published one; expire what no kept snapshot needs and delete its files.
    The snapshots expired."""
    conn.execute(without_constraints(PUBLISHED_DDL))
    conn.execute("insert into pipeline.published_snapshots values (?, ?)", [snapshot, published_at])
    kept = [
        row[0]
        for row in conn.execute(
            "select snapshot_id from pipeline.published_snapshots order by snapshot_id desc limit ?", [KEEP]
        ).fetchall()
    ]
    older = [
        row[0]
        for row in conn.execute(
            f"select snapshot_id from ducklake_snapshots('{WAREHOUSE_ALIAS}') where snapshot_id < ?", [min(kept)]
        ).fetchall()
    ]
    if older:
        conn.execute(f"call ducklake_expire_snapshots('{WAREHOUSE_ALIAS}', versions => ?)", [older])
        conn.execute(f"call ducklake_cleanup_old_files('{WAREHOUSE_ALIAS}', cleanup_all => true)")
    return older


def published_snapshot(conn: duckdb.DuckDBPyConnection) -> int | None:
    """The province's published snapshot (the connection's lake at its latest); None before any publishing."""
    exists = conn.execute(
        "select count(*) from duckdb_tables() where database_name = current_database() "
        "and schema_name = 'pipeline' and table_name = 'published_snapshots'"
    ).fetchone()[0]
    if not exists:
        return None
    return conn.execute("select max(snapshot_id) from pipeline.published_snapshots").fetchone()[0]


def record_national(
    conn: duckdb.DuckDBPyConnection, lake: Lake, province: str, snapshot: int, published_at: dt.datetime
) -> int:
    """Replace the province's row of the national mart with its coverage_province as published; the attempts it took
    (another province committing to the national lake at the same moment makes one retry)."""
    attach_national(conn, lake)
    for attempt in range(1, RETRIES + 1):
        try:
            conn.execute("begin")
            conn.execute("delete from national.marts.coverage_by_province where province_code = ?", [province])
            conn.execute(
                "insert into national.marts.coverage_by_province "
                "select province_code, province_name, as_of, eligible_workers, covered_workers, coverage_rate, "
                "target_rate, target_basis, ?, ? from marts.coverage_province",
                [snapshot, published_at],
            )
            conn.execute("commit")
            return attempt
        except duckdb.TransactionException:
            # DuckLake has rolled the transaction back itself when another province's commit won.
            with contextlib.suppress(duckdb.TransactionException):
                conn.execute("rollback")
            if attempt == RETRIES:
                raise
            time.sleep(random.uniform(0.05, 0.3) * attempt)  # another province committed: try again
    raise AssertionError("unreachable")


def publish_on_lake(
    conn: duckdb.DuckDBPyConnection, lake: Lake, province: str, snapshot: int, published_at: dt.datetime
) -> dict[str, int]:
    """Everything above, once the analyst database holds `snapshot`: what it did, for the run's metadata."""
    expired = pin_published(conn, snapshot, published_at)
    # The national table gathers provinces of three time zones: its times are UTC.
    attempts = record_national(conn, lake, province, snapshot, dt.datetime.now(dt.UTC).replace(tzinfo=None))
    return {"published_snapshot": snapshot, "snapshots_expired": len(expired), "national_attempts": attempts}


def attach_published_sql(lake: Lake, province: str, snapshot: int, alias: str = "cakupan") -> str:
    """What an analyst runs to read the province's published snapshot, read-only."""
    return lake.attach_sql(province, alias, snapshot=snapshot, read_only=True)
