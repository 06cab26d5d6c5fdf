"""Publish: the analyst database, replaced atomically after a good build."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from orchestration.assets.ingest import AUDIT_KEYS
from orchestration.publish import publish_analytics_db
from orchestration.resources import WAREHOUSE_POOL
from orchestration.settings import Settings

MART_KEYS = [
    dg.AssetKey(["marts", name])
    for name in (
        "coverage_regency_sector", "coverage_regency", "coverage_sector", "coverage_province",
        "coverage_monthly", "target_projection", "budget_realization", "budget_coverage",
        "unmapped_occupations",
    )
]


@dg.asset(
    deps=[*MART_KEYS, *AUDIT_KEYS.values()],
    group_name="publish",
    kinds={"duckdb"},
    owners=["team:analytics"],
    pool=WAREHOUSE_POOL,
)
def analytics_database(context: dg.AssetExecutionContext, warehouse: DuckDBResource) -> dg.MaterializeResult:
    """The analysts' copy of the marts and audit tables (CAKUPAN_ANALYTICS_DB), swapped in with an
    atomic rename so that readers holding the old file keep working."""
    settings = Settings.from_env()
    with warehouse.get_connection() as conn:
        counts = publish_analytics_db(conn, settings.analytics_db)
        province = conn.execute(
            "select as_of, covered_workers, eligible_workers, coverage_rate, target_rate, workers_to_target "
            "from marts.coverage_province"
        ).fetchone()
    context.log.info(f"published {len(counts)} tables to {settings.analytics_db}")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(settings.analytics_db)),
            "tables": dg.MetadataValue.json(counts),
            "dagster/row_count": sum(counts.values()),
            "province": dg.MetadataValue.md(province_line_markdown(province)),
        }
    )


def province_line_markdown(province: tuple | None) -> str:
    if province is None:
        return "No coverage yet."
    as_of, covered, eligible, rate, target, gap = province
    fmt = lambda v, pattern: "n/a" if v is None else pattern.format(v)  # noqa: E731
    return (
        f"**Maluku, {as_of}**: {fmt(covered, '{:,}')} covered of {fmt(eligible, '{:,}')} eligible "
        f"= {fmt(rate, '{:.2%}')} (target {fmt(target, '{:.2%}')}; {fmt(gap, '{:,}')} workers to target)"
    )
