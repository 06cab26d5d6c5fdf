"""Publish: the analyst database, replaced atomically after a good build, then the exports and the report
made from it. The build counts as published once the last of them is written."""

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from common.clock import now_wit
from orchestration.assets.ingest import AUDIT_KEYS
from orchestration.build_state import record_published
from orchestration.disk import raise_if_out_of_space
from orchestration.settings import Settings
from orchestration.warehouse_lock import warehouse_lock
from publish.analytics_db import publish_analytics_db
from publish.exports import WORKBOOK_NAME, export_marts
from publish.province import province_line_markdown
from publish.report import build_report
from tests.marts import MART_NAMES

MART_KEYS = [dg.AssetKey(["marts", name]) for name in MART_NAMES]


@dg.asset(
    deps=[*MART_KEYS, *AUDIT_KEYS.values()],
    group_name="publish",
    kinds={"duckdb"},
    owners=["team:analytics"],
)
def analytics_database(context: dg.AssetExecutionContext, warehouse: DuckDBResource) -> dg.MaterializeResult:
    """The analysts' copy of the marts and audit tables (CAKUPAN_ANALYTICS_DB), swapped in with an
    atomic rename so that readers holding the old file keep working."""
    settings = Settings.from_env()
    try:
        with warehouse_lock(settings.warehouse, context.log.info), warehouse.get_connection() as conn:
            counts = publish_analytics_db(conn, settings.analytics_db)
            province = province_line_markdown(conn)
    except Exception as e:
        raise_if_out_of_space(
            e,
            "writing the analyst database's new copy",
            {"the analyst database's folder": settings.analytics_db.parent},
            f"The analyst database {settings.analytics_db} and the exports are as they were.",
        )
        raise
    context.log.info(f"published {len(counts)} tables to {settings.analytics_db}")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(settings.analytics_db)),
            "tables": dg.MetadataValue.json(counts),
            "dagster/row_count": sum(counts.values()),
            "province": dg.MetadataValue.md(province),
        }
    )


def _raise_if_exports_out_of_space(error: Exception, settings: Settings, doing: str) -> None:
    raise_if_out_of_space(
        error,
        doing,
        {"the export folder": settings.export_dir},
        f"The exports in {settings.export_dir} are as they were; the analyst database is already the new one.",
    )


@dg.asset(deps=[analytics_database], group_name="publish", kinds={"parquet", "excel"}, owners=["team:analytics"])
def mart_exports(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """One Parquet file per mart and one Excel workbook for government offices (a sheet per mart,
    Indonesian labels beside the column names), from the published analyst database."""
    settings = Settings.from_env()
    try:
        with duckdb.connect(str(settings.analytics_db), read_only=True) as analytics:
            counts = export_marts(analytics, settings.export_dir)
    except Exception as e:
        _raise_if_exports_out_of_space(e, settings, "writing the exports")
        raise
    context.log.info(f"exported {len(counts)} marts to {settings.export_dir}")
    return dg.MaterializeResult(
        metadata={
            "export_dir": dg.MetadataValue.path(str(settings.export_dir)),
            "workbook": dg.MetadataValue.path(str(settings.export_dir / WORKBOOK_NAME)),
            "rows_per_mart": dg.MetadataValue.json(counts),
        }
    )


@dg.asset(deps=[mart_exports], group_name="publish", kinds={"html"}, owners=["team:analytics"])
def coverage_report(context: dg.AssetExecutionContext, warehouse: DuckDBResource) -> dg.MaterializeResult:
    """The one-page coverage report: the province against the target, regencies against the target, the
    monthly trend with its projection, and what each budget line pays per protected worker. The last thing
    published: once it is written, the build counts as published (a refresh with nothing new does nothing)."""
    settings = Settings.from_env()
    try:
        with duckdb.connect(str(settings.analytics_db), read_only=True) as analytics:
            page, chart = build_report(analytics, settings.export_dir / "report")
    except Exception as e:
        _raise_if_exports_out_of_space(e, settings, "writing the coverage report")
        raise
    with warehouse_lock(settings.warehouse, context.log.info), warehouse.get_connection() as conn:
        record_published(conn, now_wit())
    return dg.MaterializeResult(
        metadata={"report": dg.MetadataValue.path(str(page)), "chart": dg.MetadataValue.path(str(chart))}
    )
