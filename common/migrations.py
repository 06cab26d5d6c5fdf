"""Versioned schema changes of the warehouse: each layer that owns tables there lists its migrations in order,
and `migrate` runs the ones its recorded version has not seen, each once, each in its own transaction with the
row that records it (`pipeline.schema_version`). A warehouse recorded at a version newer than the code knows
is refused before anything in it changes: older code must not write tables it no longer understands.

Versions are counted per component (the layer that owns the tables: `ingest` for `raw.*`, `audit.*` and
`pipeline.*`), so a layer adds its own migrations without importing another's."""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import duckdb

from common.clock import now_local
from common.ddl import for_warehouse

VERSION_DDL = """
create schema if not exists pipeline;
create table if not exists pipeline.schema_version (
    component   varchar not null,
    version     integer not null,
    description varchar not null,
    applied_at  timestamp not null,
    primary key (component, version)
);
"""


@dataclass(frozen=True)
class Migration:
    """One schema change: `apply` takes the warehouse from `version - 1` to `version`. Once released it is never
    edited (warehouses already past it would not see the edit): a later change is a new migration."""

    version: int
    description: str
    apply: Callable[[duckdb.DuckDBPyConnection], object]


class SchemaTooNew(RuntimeError):
    """The warehouse was written by newer code than this: refused, nothing changed."""


def recorded_version(conn: duckdb.DuckDBPyConnection, component: str) -> int:
    """The component's version recorded in the warehouse; 0 when none is (a new warehouse, or one made before
    versions were recorded: every migration is written to bring either up to date)."""
    exists = conn.execute(
        "select count(*) from duckdb_tables() where database_name = current_database() "
        "and schema_name = 'pipeline' and table_name = 'schema_version'"
    ).fetchone()[0]
    if not exists:
        return 0
    return conn.execute(
        "select coalesce(max(version), 0) from pipeline.schema_version where component = ?", [component]
    ).fetchone()[0]


def migrate(
    conn: duckdb.DuckDBPyConnection,
    component: str,
    migrations: Sequence[Migration],
    where: str,
    now: Callable[[], dt.datetime] = now_local,
) -> list[Migration]:
    """Bring `component`'s tables up to the last of `migrations` (numbered 1, 2, … in order); the migrations
    applied, none when the warehouse was up to date. `where`: the warehouse, as an error names it."""
    if [m.version for m in migrations] != list(range(1, len(migrations) + 1)):
        raise ValueError(f"{component}'s migrations must be numbered 1, 2, … in order")
    latest = len(migrations)
    current = recorded_version(conn, component)
    if current > latest:
        raise SchemaTooNew(
            f"the warehouse {where} is at {component} schema version {current}, newer than this code's "
            f"{latest}: it was written by a newer Cakupan. Run that version (or restore a copy of the warehouse "
            "made by this one); nothing was changed"
        )
    applied = []
    for migration in migrations[current:]:
        conn.begin()
        try:
            conn.execute(for_warehouse(conn, VERSION_DDL))
            migration.apply(conn)
            conn.execute(
                "insert into pipeline.schema_version values (?, ?, ?, ?)",
                [component, migration.version, migration.description, now()],
            )
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        applied.append(migration)
    return applied
