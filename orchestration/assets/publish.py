"""Publish: the analyst database, replaced atomically after a good build, then the exports and the report
made from it. The build counts as published once the last of them is written."""

import datetime as dt

import dagster as dg
import duckdb

from common.clock import WIT, now_wit
from orchestration.assets.ingest import AUDIT_KEYS
from orchestration.build_state import record_published
from orchestration.disk import raise_if_out_of_space
from orchestration.resources import WarehouseResource, dbt_manifest
from orchestration.settings import CakupanSettings
from publish.analytics_db import publish_analytics_db
from publish.exports import WORKBOOK_NAME, export_marts
from publish.feedback import FEEDBACK_DIR, write_feedback
from publish.marts import mart_descriptions, published_marts
from publish.province import province_line_markdown
from publish.report import build_report

# The marts the dbt project says the analyst database carries (its `analyst_database` exposure).
MART_NAMES = published_marts(dbt_manifest())
MART_DESCRIPTIONS = mart_descriptions(dbt_manifest(), MART_NAMES)
MART_KEYS = [dg.AssetKey(["marts", name]) for name in MART_NAMES]


@dg.asset(
    deps=[*MART_KEYS, *AUDIT_KEYS.values()],
    group_name="publish",
    kinds={"duckdb"},
    owners=["team:analytics"],
)
def analytics_database(
    context: dg.AssetExecutionContext, settings: CakupanSettings, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """The analysts' copy of the marts and audit tables (CAKUPAN_ANALYTICS_DB), swapped in with an
    atomic rename so that readers holding the old file keep working."""
    try:
        with warehouse.lock(context.log.info), warehouse.get_connection() as conn:
            counts = publish_analytics_db(conn, settings.analytics_db_path, MART_NAMES, MART_DESCRIPTIONS)
            province = province_line_markdown(conn)
    except Exception as e:
        raise_if_out_of_space(
            e,
            "writing the analyst database's new copy",
            {"the analyst database's folder": settings.analytics_db_path.parent},
            f"The analyst database {settings.analytics_db_path} and the exports are as they were.",
        )
        raise
    context.log.info(f"published {len(counts)} tables to {settings.analytics_db_path}")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(settings.analytics_db_path)),
            "tables": dg.MetadataValue.json(counts),
            "dagster/row_count": sum(counts.values()),
            "province": dg.MetadataValue.md(province),
        }
    )


def _raise_if_exports_out_of_space(error: Exception, settings: CakupanSettings, doing: str) -> None:
    raise_if_out_of_space(
        error,
        doing,
        {"the export folder": settings.export_path},
        f"The exports in {settings.export_path} are as they were; the analyst database is already the new one.",
    )


@dg.asset(deps=[analytics_database], group_name="publish", kinds={"parquet", "excel"}, owners=["team:analytics"])
def mart_exports(context: dg.AssetExecutionContext, settings: CakupanSettings) -> dg.MaterializeResult:
    """One Parquet file per mart and one Excel workbook for government offices (a sheet per mart,
    Indonesian labels beside the column names), from the published analyst database."""
    try:
        with duckdb.connect(
            str(settings.analytics_db_path), read_only=True, config=settings.duckdb_config()
        ) as analytics:
            counts = export_marts(analytics, settings.export_path, MART_NAMES)
    except Exception as e:
        _raise_if_exports_out_of_space(e, settings, "writing the exports")
        raise
    context.log.info(f"exported {len(counts)} marts to {settings.export_path}")
    return dg.MaterializeResult(
        metadata={
            "export_dir": dg.MetadataValue.path(str(settings.export_path)),
            "workbook": dg.MetadataValue.path(str(settings.export_path / WORKBOOK_NAME)),
            "rows_per_mart": dg.MetadataValue.json(counts),
        }
    )


# After the exports, in one line: a full export folder stops publishing at its first write, with one error.
@dg.asset(deps=[mart_exports], group_name="publish", kinds={"excel"}, owners=["team:analytics"])
def sender_feedback(context: dg.AssetExecutionContext, settings: CakupanSettings) -> dg.MaterializeResult:
    """A workbook for each office whose file had rows refused, or was refused whole (`feedback/<file>.xlsx` in the
    export folder): which rows, which column, why in Indonesian, the masked value and what a valid one looks like."""
    try:
        with duckdb.connect(
            str(settings.analytics_db_path), read_only=True, config=settings.duckdb_config()
        ) as analytics:
            written = write_feedback(analytics, settings.export_path)
    except Exception as e:
        _raise_if_exports_out_of_space(e, settings, "writing the senders' feedback workbooks")
        raise
    context.log.info(f"{len(written)} feedback workbooks in {settings.export_path / FEEDBACK_DIR}")
    return dg.MaterializeResult(
        metadata={
            "folder": dg.MetadataValue.path(str(settings.export_path / FEEDBACK_DIR)),
            "workbooks": dg.MetadataValue.json(sorted(p.name for p in written)),
        }
    )


def _run_started_wit(context: dg.AssetExecutionContext) -> dt.datetime | None:
    """When this run started, on the warehouse's clock (WIT, naive): the report lists the files loaded since."""
    record = context.instance.get_run_record_by_id(context.run.run_id)
    if record is None or record.start_time is None:
        return None
    return dt.datetime.fromtimestamp(record.start_time, WIT).replace(tzinfo=None)


@dg.asset(deps=[mart_exports, sender_feedback], group_name="publish", kinds={"html", "pdf"}, owners=["team:analytics"])
def coverage_report(
    context: dg.AssetExecutionContext, settings: CakupanSettings, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """The coverage report in Indonesian (`coverage_report.html`, offline and interactive, and its PDF): the
    province against the target, a map of the regencies, regency × sector, the trend with its projection, where to
    act, and the data's quality. The last thing published: once it is written, the build counts as published
    (a refresh with nothing new does nothing)."""
    try:
        with duckdb.connect(
            str(settings.analytics_db_path), read_only=True, config=settings.duckdb_config()
        ) as analytics:
            page, pdf = build_report(analytics, settings.export_path, refreshed_since=_run_started_wit(context))
    except Exception as e:
        _raise_if_exports_out_of_space(e, settings, "writing the coverage report")
        raise
    with warehouse.lock(context.log.info), warehouse.get_connection() as conn:
        record_published(conn, now_wit())
    return dg.MaterializeResult(
        metadata={"report": dg.MetadataValue.path(str(page)), "pdf": dg.MetadataValue.path(str(pdf))}
    )
