"""Publish: the analyst database, replaced atomically after a good build, then the exports, the senders' feedback and
the report made from it. The build counts as published once the last of them is written.

Four assets, one step: the report (half a second of imports, the page, Chromium printing it) is made in a thread
while the analyst database, the exports and the feedback are written, and swapped in only after them. Its figures
are read from the warehouse in the same hold of the writers' lock as the analyst database's copy: the same tables at
the same moment, so Chromium prints while the copy is written. Steps one after another would wait for each; a step
per asset in a process of its own would pay the imports each time."""

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import dagster as dg
import duckdb

from common.clock import local_time, now_local
from common.lake import current_snapshot
from orchestration.assets.ingest import AUDIT_KEYS
from orchestration.build_state import record_published
from orchestration.disk import raise_if_out_of_space
from orchestration.resources import WarehouseResource, dbt_manifest
from orchestration.settings import CakupanSettings
from publish.analytics_db import publish_analytics_db
from publish.exports import WORKBOOK_NAME, export_marts
from publish.feedback import FEEDBACK_DIR, write_feedback
from publish.lake_snapshots import publish_on_lake
from publish.marts import mart_descriptions, published_marts
from publish.province import province_line_markdown
from publish.report import PreparedReport, import_report_modules, write_report
from publish.report_data import ReportData, read_report_data

# The marts the dbt project says the analyst database carries (its `analyst_database` exposure).
MART_NAMES = published_marts(dbt_manifest())
MART_DESCRIPTIONS = mart_descriptions(dbt_manifest(), MART_NAMES)
MART_KEYS = [dg.AssetKey(["marts", name]) for name in MART_NAMES]


def _published(key: str, deps: list, kinds: set[str], description: str) -> dg.AssetSpec:
    """One of the things publishing writes: in the publish group, the analysts' to read."""
    return dg.AssetSpec(
        key, deps=deps, description=description, group_name="publish", kinds=kinds, owners=["team:analytics"]
    )


ANALYTICS_DATABASE = _published(
    "analytics_database",
    [*MART_KEYS, *AUDIT_KEYS.values()],
    {"duckdb"},
    "The analysts' copy of the marts and audit tables (CAKUPAN_ANALYTICS_DB), swapped in with an atomic "
    "rename so that readers holding the old file keep working.",
)
MART_EXPORTS = _published(
    "mart_exports",
    [ANALYTICS_DATABASE],
    {"parquet", "excel"},
    "One Parquet file per mart and one Excel workbook for government offices (a sheet per mart, "
    "Indonesian labels beside the column names), from the published analyst database.",
)
# After the exports, in one line: a full export folder stops publishing at its first write, with one error.
SENDER_FEEDBACK = _published(
    "sender_feedback",
    [MART_EXPORTS],
    {"excel"},
    "A workbook for each office whose file had rows refused, or was refused whole "
    "(`feedback/<file>.xlsx` in the export folder): which rows, which column, why in Indonesian, the masked value "
    "and what a valid one looks like.",
)
COVERAGE_REPORT = _published(
    "coverage_report",
    [MART_EXPORTS, SENDER_FEEDBACK],
    {"html", "pdf"},
    "The coverage report in Indonesian (`coverage_report.html`, offline and interactive, and its PDF): "
    "the province against the target, a map of the regencies, regency × sector, the trend with its projection, "
    "where to act, and the data's quality. The last thing published: once it is written, the build counts as "
    "published (a refresh with nothing new does nothing).",
)


@dg.multi_asset(specs=[ANALYTICS_DATABASE, MART_EXPORTS, SENDER_FEEDBACK, COVERAGE_REPORT], can_subset=True)
def published(
    context: dg.AssetExecutionContext, settings: CakupanSettings, warehouse: WarehouseResource
) -> Iterator[dg.MaterializeResult]:
    """What people read, from a good build: the analyst database, the exports, the senders' feedback, the report."""
    selected = context.selected_asset_keys
    # Made here, not by the report's thread: the thread writes while the warehouse's connection is open, under its
    # owner-only umask (the report's own files are given their mode: publish/report.py).
    settings.export_path.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="report") as background:
        report: Future[PreparedReport] | None = None
        if COVERAGE_REPORT.key in selected:
            background.submit(import_report_modules)
        try:
            if ANALYTICS_DATABASE.key in selected:
                start_report = (
                    (lambda data: background.submit(_write_report, data, settings))
                    if COVERAGE_REPORT.key in selected
                    else None
                )
                published_db, report = _publish_analytics_database(context, settings, warehouse, start_report)
                yield published_db
            elif COVERAGE_REPORT.key in selected:
                report = background.submit(_prepare_report, context, settings)
            if MART_EXPORTS.key in selected:
                yield _write_exports(context, settings)
            if SENDER_FEEDBACK.key in selected:
                yield _write_feedback(context, settings)
            if report is not None:
                yield _publish_report(context, report.result(), settings, warehouse)
        finally:
            if report is not None:
                # Whatever stopped publishing before the report was swapped in: its scratch files go, the report
                # published before stays.
                with contextlib.suppress(Exception):
                    report.result().discard()


def publish_everything(
    context: dg.AssetExecutionContext, settings: CakupanSettings, warehouse: WarehouseResource
) -> dict[str, Any]:
    """What `published` does, one after the other, for a province's partition: the metadata of each part, prefixed
    by the asset it is of in daily_refresh."""
    parts = [
        _publish_analytics_database(context, settings, warehouse)[0],
        _write_exports(context, settings),
        _write_feedback(context, settings),
    ]
    prepared = _prepare_report(context, settings)
    try:
        parts.append(_publish_report(context, prepared, settings, warehouse))
    finally:
        with contextlib.suppress(Exception):
            prepared.discard()
    return {
        f"{part.asset_key.path[-1]}/{name}": value
        for part in parts
        if part.asset_key is not None
        for name, value in (part.metadata or {}).items()
    }


def _publish_analytics_database(
    context: dg.AssetExecutionContext,
    settings: CakupanSettings,
    warehouse: WarehouseResource,
    start_report: Callable[[ReportData], Future[PreparedReport]] | None = None,
) -> tuple[dg.MaterializeResult, Future[PreparedReport] | None]:
    """The analyst database copied from the warehouse; and, with `start_report`, the report's figures read from the
    warehouse before the copy (under the same lock, so the same tables) and handed to it to print meanwhile."""
    lake, on_lake, report = settings.lake, {}, None
    try:
        with warehouse.lock(context.log.info), warehouse.get_connection() as conn:
            # On a lake, the snapshot the copy is made from is the one analysts are pointed at.
            snapshot = current_snapshot(conn) if lake else None
            if start_report is not None:
                report = _start_report(start_report, conn, context)
            counts = publish_analytics_db(conn, settings.analytics_db_path, MART_NAMES, MART_DESCRIPTIONS)
            province = province_line_markdown(conn)
            if lake is not None and snapshot is not None:
                on_lake = publish_on_lake(conn, lake, settings.province_code, snapshot, now_local())
                context.log.info(
                    f"the lake's snapshot {snapshot} published for {settings.province_code}; "
                    f"{on_lake['snapshots_expired']} older snapshot(s) expired and their files removed"
                )
    except Exception as e:
        if report is not None:  # the copy failed while the report printed: its scratch files go too
            with contextlib.suppress(Exception):
                report.result().discard()
        raise_if_out_of_space(
            e,
            "writing the analyst database's new copy",
            {"the analyst database's folder": settings.analytics_db_path.parent},
            f"The analyst database {settings.analytics_db_path} and the exports are as they were.",
        )
        raise
    context.log.info(f"published {len(counts)} tables to {settings.analytics_db_path}")
    result: dg.MaterializeResult = dg.MaterializeResult(
        asset_key=ANALYTICS_DATABASE.key,
        metadata={
            "path": dg.MetadataValue.path(str(settings.analytics_db_path)),
            "tables": dg.MetadataValue.json(counts),
            "dagster/row_count": sum(counts.values()),
            "province": dg.MetadataValue.md(province),
            **on_lake,
        },
    )
    return result, report


def _raise_if_exports_out_of_space(error: Exception, settings: CakupanSettings, doing: str) -> None:
    raise_if_out_of_space(
        error,
        doing,
        {"the export folder": settings.export_path},
        f"The exports in {settings.export_path} are as they were; the analyst database is already the new one.",
    )


def _write_exports(context: dg.AssetExecutionContext, settings: CakupanSettings) -> dg.MaterializeResult:
    try:
        with duckdb.connect(
            str(settings.analytics_db_path), read_only=True, config=settings.duckdb_config()
        ) as analytics:
            counts, written = export_marts(analytics, settings.export_path, MART_NAMES)
    except Exception as e:
        _raise_if_exports_out_of_space(e, settings, "writing the exports")
        raise
    kept = len(counts) + 1 - len(written)
    context.log.info(
        f"exports of {len(counts)} marts in {settings.export_path}: {len(written)} file(s) written again "
        f"({', '.join(written) or 'none'}), {kept} already as the marts are"
    )
    return dg.MaterializeResult(
        asset_key=MART_EXPORTS.key,
        metadata={
            "export_dir": dg.MetadataValue.path(str(settings.export_path)),
            "workbook": dg.MetadataValue.path(str(settings.export_path / WORKBOOK_NAME)),
            "rows_per_mart": dg.MetadataValue.json(counts),
            "files_written": dg.MetadataValue.json(written),
        },
    )


def _write_feedback(context: dg.AssetExecutionContext, settings: CakupanSettings) -> dg.MaterializeResult:
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
        asset_key=SENDER_FEEDBACK.key,
        metadata={
            "folder": dg.MetadataValue.path(str(settings.export_path / FEEDBACK_DIR)),
            "workbooks": dg.MetadataValue.json(sorted(p.name for p in written)),
        },
    )


def _run_started_local(context: dg.AssetExecutionContext) -> dt.datetime | None:
    """When this run started, on the warehouse's clock (the province's local time, naive): the report lists the files loaded since."""
    record = context.instance.get_run_record_by_id(context.run.run_id)
    if record is None or record.start_time is None:
        return None
    return local_time(record.start_time)


def _prepare_report(context: dg.AssetExecutionContext, settings: CakupanSettings) -> PreparedReport:
    """In the background thread: the report from the analyst database just published, under scratch names."""
    try:
        with duckdb.connect(
            str(settings.analytics_db_path), read_only=True, config=settings.duckdb_config()
        ) as analytics:
            data = _report_data(analytics, context)
    except Exception as e:
        _raise_if_exports_out_of_space(e, settings, "writing the coverage report")
        raise
    return _write_report(data, settings)


def _report_data(conn: duckdb.DuckDBPyConnection, context: dg.AssetExecutionContext) -> ReportData:
    """The report's figures on `conn` (the analyst database, or the warehouse it is copied from), built now and
    listing the files loaded since this run started."""
    return read_report_data(conn, now_local(), _run_started_local(context))


def _start_report(
    start_report: Callable[[ReportData], Future[PreparedReport]],
    conn: duckdb.DuckDBPyConnection,
    context: dg.AssetExecutionContext,
) -> Future[PreparedReport]:
    """The report's figures read on the warehouse's connection and handed to `start_report`. Figures that cannot be
    read fail the report alone, when it is swapped in: the analyst database, the exports and the feedback are
    published first, as when the report is made from the analyst database."""
    try:
        data = _report_data(conn, context)
    except Exception as e:
        failed: Future[PreparedReport] = Future()
        failed.set_exception(e)
        return failed
    return start_report(data)


def _write_report(data: ReportData, settings: CakupanSettings) -> PreparedReport:
    """In the background thread: the report of figures read under the publishing lock, under scratch names."""
    try:
        return write_report(data, settings.export_path)
    except Exception as e:
        _raise_if_exports_out_of_space(e, settings, "writing the coverage report")
        raise


def _publish_report(
    context: dg.AssetExecutionContext, prepared: PreparedReport, settings: CakupanSettings, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Swap the report in, after the exports and the feedback: then the build counts as published."""
    try:
        page, pdf = prepared.publish()
    except Exception as e:
        _raise_if_exports_out_of_space(e, settings, "writing the coverage report")
        raise
    with warehouse.lock(context.log.info), warehouse.get_connection() as conn:
        record_published(conn, now_local())
    return dg.MaterializeResult(
        asset_key=COVERAGE_REPORT.key,
        metadata={"report": dg.MetadataValue.path(str(page)), "pdf": dg.MetadataValue.path(str(pdf))},
    )
