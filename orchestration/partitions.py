"""Provinces as partitions (runtime.md, "Many provinces"): the job `province_refresh`, one partition per configured
province (CAKUPAN_PROVINCES; CAKUPAN_PROVINCE alone by default), whose run refreshes that province alone: its
landing folder (`<CAKUPAN_LANDING_DIR>/<code>`), its warehouse (its own lake in the shared catalog, or its own
DuckDB file), its analyst database and exports (`<folder>/<code>/...`). Runs of different provinces go at once; two
runs of one province take turns (each province's writers' lock). `daily_refresh` still serves CAKUPAN_PROVINCE.

The job's assets are the refresh's three stages, each partitioned by province, calling what daily_refresh's assets
call: load, build, publish. The landing sensor and the 06:00 schedule of each province request its partition."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import dagster as dg

from common.province import province, serve
from orchestration.assets.dbt import build_warehouse
from orchestration.assets.ingest import load_landed
from orchestration.assets.publish import publish_everything
from orchestration.resources import WarehouseResource
from orchestration.sensors import evaluate_landing, observe, run_key
from orchestration.settings import CakupanSettings

GROUP = "provinces"


def _partition(
    context: dg.AssetExecutionContext, settings: CakupanSettings
) -> tuple[CakupanSettings, WarehouseResource]:
    """The partition's settings and warehouse; the run serves its province from here on."""
    mine = settings.for_province(context.partition_key)
    serve(mine.province_code)
    return mine, WarehouseResource(settings=mine)


def province_assets(partitions: dg.StaticPartitionsDefinition) -> list[dg.AssetsDefinition]:
    @dg.asset(
        key=["provinces", "landed_extracts"],
        partitions_def=partitions,
        group_name=GROUP,
        kinds={"polars", "duckdb"},
        owners=["team:data-engineering"],
        tags={"pii": ""},
    )
    def province_landed_extracts(context: dg.AssetExecutionContext, settings: CakupanSettings) -> dg.MaterializeResult:
        """A province's landed files loaded into its warehouse: what landed_extracts does, from its own landing
        folder (`<CAKUPAN_LANDING_DIR>/<code>`)."""
        mine, warehouse = _partition(context, settings)
        outcomes, newest, totals = load_landed(mine, warehouse, context.log.info)
        return dg.MaterializeResult(
            metadata={
                "landing": dg.MetadataValue.path(str(mine.landing_path)),
                "new_files": len(outcomes),
                "rows_loaded": sum(o.rows_loaded or 0 for o in outcomes),
                "rows_refused": sum(o.rows_refused or 0 for o in outcomes),
                "newest_enrolment": str(newest),
                "tables": dg.MetadataValue.json(totals),
            }
        )

    @dg.asset(
        key=["provinces", "warehouse_build"],
        deps=[province_landed_extracts],
        partitions_def=partitions,
        group_name=GROUP,
        kinds={"dbt", "duckdb"},
        owners=["team:data-engineering"],
        output_required=False,
    )
    def province_warehouse_build(context: dg.AssetExecutionContext, settings: CakupanSettings):
        """A province's dbt models and tests built in its warehouse: the plan cakupan_dbt_models follows (incremental,
        full, or nothing when nothing is new: then no output, and publishing is skipped, as in daily_refresh)."""
        mine, warehouse = _partition(context, settings)
        built = build_warehouse(mine, warehouse, False, context.log.info)
        if built["mode"] != "skip":
            yield dg.MaterializeResult(metadata=built)

    @dg.asset(
        key=["provinces", "published"],
        deps=[province_warehouse_build],
        partitions_def=partitions,
        group_name=GROUP,
        kinds={"duckdb", "parquet", "excel", "html"},
        owners=["team:analytics"],
    )
    def province_published(context: dg.AssetExecutionContext, settings: CakupanSettings) -> dg.MaterializeResult:
        """A province's analyst database, exports, senders' feedback and report (`<folder>/<code>/...`); on a lake,
        its published snapshot and its row of the national mart (publish/lake_snapshots.py)."""
        mine, warehouse = _partition(context, settings)
        return dg.MaterializeResult(metadata=publish_everything(context, mine, warehouse))

    return [province_landed_extracts, province_warehouse_build, province_published]


def province_refresh_job():
    """Partitioned as its assets are (Dagster infers it from the selection)."""
    return dg.define_asset_job(
        "province_refresh",
        selection=dg.AssetSelection.groups(GROUP),
        description="One province's refresh (a partition per configured province): load, build, publish.",
        # One process a run, as daily_refresh: start-up dominates small runs; provinces run side by side as runs.
        executor_def=dg.in_process_executor,
    )


def province_landing_sensor(provinces: list[str], running: bool) -> dg.SensorDefinition:
    """`running`: on by default where provinces were configured (CAKUPAN_PROVINCES); the Maluku default runs
    daily_refresh alone."""

    @dg.sensor(
        name="province_landing_sensor",
        job_name="province_refresh",
        minimum_interval_seconds=60,
        default_status=dg.DefaultSensorStatus.RUNNING if running else dg.DefaultSensorStatus.STOPPED,
        description="Requests a province's partition when new files have landed in its folder and stopped growing.",
    )
    def sensor(context: dg.SensorEvaluationContext, settings: CakupanSettings):
        cursors = json.loads(context.cursor) if context.cursor else {}
        requests = []
        for code in provinces:
            observed = observe(settings.for_province(code).landing_path)
            ready, cursors[code] = evaluate_landing(observed, cursors.get(code))
            if ready:
                requests.append(
                    dg.RunRequest(
                        run_key=f"{code}-{run_key(ready, observed)}",
                        partition_key=code,
                        tags={"cakupan/new_files": str(len(ready))},
                    )
                )
        context.update_cursor(json.dumps(cursors, sort_keys=True))
        return requests or dg.SkipReason("no province has new files, or its new files are still being written")

    return sensor


def provinces_at_six(provinces: list[str], now: dt.datetime) -> list[str]:
    """The provinces whose local time is 06:xx at `now` (timezone-aware): each refreshes at its own 06:00."""
    return [code for code in provinces if now.astimezone(ZoneInfo(province(code).time_zone)).hour == 6]


def province_refresh_schedule(provinces: list[str], running: bool) -> dg.ScheduleDefinition:
    """`running` as the sensor's."""

    @dg.schedule(
        name="province_refresh_schedule",
        job_name="province_refresh",
        cron_schedule="0 * * * *",
        execution_timezone="UTC",
        default_status=dg.DefaultScheduleStatus.RUNNING if running else dg.DefaultScheduleStatus.STOPPED,
        description="Each province's partition at 06:00 in its own time zone (WIB, WITA or WIT), where files land.",
    )
    def schedule(context: dg.ScheduleEvaluationContext, settings: CakupanSettings):
        now = context.scheduled_execution_time or dt.datetime.now(dt.UTC)
        return [
            dg.RunRequest(run_key=f"{code}-{now:%Y-%m-%d}", partition_key=code)
            for code in provinces_at_six(provinces, now)
            if observe(settings.for_province(code).landing_path)  # a province whose files land here
        ]

    return schedule
