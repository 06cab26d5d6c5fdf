"""Each table a dbt build wrote, with its row count, as Dagster observations: read once dbt has let go of the
warehouse (the build wrote it from the same process, through dbt's own connection)."""

from collections.abc import Iterator

import dagster as dg

from orchestration.resources import WarehouseResource
from publish.province import province_line_markdown

PROVINCE = dg.AssetKey(["marts", "coverage_province"])


def row_counts(keys: list[dg.AssetKey], warehouse: WarehouseResource) -> Iterator[dg.AssetObservation]:
    """The row count of each of `keys` that is a table (a view would run its query), and the province line for
    the province's mart."""
    with warehouse.get_connection() as conn:
        tables = {
            (schema, name)
            for schema, name in conn.execute(
                "select schema_name, table_name from duckdb_tables() where database_name = current_database()"
            ).fetchall()
        }
        observations = []
        for key in keys:
            if tuple(key.path) not in tables:
                continue
            schema, name = key.path
            metadata = {"dagster/row_count": conn.execute(f'select count(*) from {schema}."{name}"').fetchone()[0]}
            if key == PROVINCE:
                metadata["province"] = dg.MetadataValue.md(province_line_markdown(conn))
            observations.append(dg.AssetObservation(asset_key=key, metadata=metadata))
    yield from observations
