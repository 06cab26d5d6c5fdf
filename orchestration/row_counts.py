"""What a dbt build's asset reports of each table it wrote: its row count (and the province line, for the province's
mart). Read as the table is written, on a connection to dbt's own database (orchestration/dbt_build.py, run_build):
the count is of the table just built, before any later node or refresh changes it."""

from typing import Any

import dagster as dg

from publish.province import province_line_markdown

PROVINCE = dg.AssetKey(["marts", "coverage_province"])


def table_metadata(conn: Any, schema: str, table: str) -> dict[str, Any]:
    """`dagster/row_count` of `schema.table` on `conn` (a DuckDB connection whose default database is the
    warehouse), and the province line for the province's mart."""
    metadata: dict[str, Any] = {
        "dagster/row_count": conn.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0]
    }
    if dg.AssetKey([schema, table]) == PROVINCE:
        metadata["province"] = dg.MetadataValue.md(province_line_markdown(conn))
    return metadata
