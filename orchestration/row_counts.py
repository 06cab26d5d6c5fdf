"""The row count of each table a dbt build wrote (and the province line, for the province's mart): read once dbt
has let go of the warehouse, and reported with each table's materialisation."""

import dagster as dg

from orchestration.resources import WarehouseResource
from publish.province import province_line_markdown

PROVINCE = dg.AssetKey(["marts", "coverage_province"])


def row_counts(keys: list[dg.AssetKey], warehouse: WarehouseResource) -> dict[dg.AssetKey, dict]:
    """For each of `keys` that is a table (a view would run its query), its `dagster/row_count`, and the
    province line for the province's mart."""
    metadata: dict[dg.AssetKey, dict] = {}
    with warehouse.get_connection() as conn:
        tables = {
            (schema, name)
            for schema, name in conn.execute(
                "select schema_name, table_name from duckdb_tables() where database_name = current_database()"
            ).fetchall()
        }
        for key in keys:
            if tuple(key.path) not in tables:
                continue
            schema, name = key.path
            metadata[key] = {"dagster/row_count": conn.execute(f'select count(*) from {schema}."{name}"').fetchone()[0]}
            if key == PROVINCE:
                metadata[key]["province"] = dg.MetadataValue.md(province_line_markdown(conn))
    return metadata
