"""Publish the analyst database: written beside the target, checkpointed, closed, swapped in atomically."""

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import duckdb

from common.owner_only import shared_mode

# The marts published are the dbt project's `analyst_database` exposure (publish/marts.py), named by the caller;
# beside them go every table of these schemas: the audit trail and the reference seeds (column labels among
# them, so the exports, which read the published copy, can label the Excel sheets). `audit.builds` stays
# behind: it is the pipeline's own bookkeeping (what a build was made from).
WHOLE_SCHEMAS = ("audit", "reference")
PUBLISHED_SCHEMAS = ("marts", *WHOLE_SCHEMAS)


def published_tables(conn: duckdb.DuckDBPyConnection, marts: Sequence[str]) -> list[tuple[str, str]]:
    """(schema, table) of everything the analyst database gets: `marts`, in their order, then the whole schemas'
    tables. A table in the warehouse's `marts` schema that the exposure does not name (a mart since retired)
    is not published."""
    placeholders = ", ".join("?" for _ in WHOLE_SCHEMAS)
    whole = conn.execute(
        f"select schema_name, table_name from duckdb_tables() where database_name = current_database() "
        f"and schema_name in ({placeholders}) and not (schema_name = 'audit' and table_name = 'builds') "
        "order by schema_name, table_name",
        list(WHOLE_SCHEMAS),
    ).fetchall()
    return [("marts", mart) for mart in marts] + whole


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def write_comments(conn: duckdb.DuckDBPyConnection, target: str, description: str, columns: dict[str, str]) -> None:
    """A table's description and its columns' as DuckDB comments on `target` (a qualified table name), so that
    `duckdb -readonly` and any SQL client show what a column means. COMMENT ON takes no parameters, so the texts
    go in as quoted literals."""
    if description:
        conn.execute(f"comment on table {target} is {_literal(description)}")
    for column, text in columns.items():
        if text:
            conn.execute(f"comment on column {target}.{_identifier(column)} is {_literal(text)}")


def _remove(copy: Path) -> None:
    for path in (copy, copy.with_name(copy.name + ".wal")):
        path.unlink(missing_ok=True)


def publish_analytics_db(
    warehouse: duckdb.DuckDBPyConnection,
    target: Path,
    marts: Sequence[str],
    descriptions: Mapping[str, tuple[str, dict[str, str]]] | None = None,
) -> dict[str, int]:
    """Copy `marts` (the `analyst_database` exposure's), the audit and reference tables into a fresh file and rename
    it over `target`; each mart with its `descriptions` (the dbt project's: what the table and each column mean) as
    comments. Written here rather than by dbt's `persist_docs`, which costs a statement per column in every build.

    A reader holding the old file keeps its open handle to the old inode; the next open sees the
    new file. A failure before the rename leaves `target` untouched.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.publishing")
    _remove(staging)  # what a killed refresh left
    counts: dict[str, int] = {}
    try:
        # ATTACH takes no parameters: quote the path as a SQL string literal.
        quoted = str(staging).replace("'", "''")
        warehouse.execute(f"attach '{quoted}' as publishing")
        try:
            for schema in PUBLISHED_SCHEMAS:
                warehouse.execute(f"create schema publishing.{schema}")
            for schema, table in published_tables(warehouse, marts):
                warehouse.execute(f'create table publishing.{schema}."{table}" as select * from {schema}."{table}"')
                if schema == "marts" and descriptions and table in descriptions:
                    write_comments(warehouse, f'publishing.marts."{table}"', *descriptions[table])
                counts[f"{schema}.{table}"] = warehouse.execute(
                    f'select count(*) from publishing.{schema}."{table}"'
                ).fetchone()[0]
            warehouse.execute("checkpoint publishing")
        finally:
            warehouse.execute("detach publishing")
        # Made while the warehouse is open, owner-only like it; the analyst database holds aggregates only.
        staging.chmod(shared_mode())
        with open(staging, "rb") as f:
            os.fsync(f.fileno())
        os.replace(staging, target)
    finally:
        _remove(staging)  # a copy that failed (a full disk) must not keep the space it took
    dir_fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return counts
