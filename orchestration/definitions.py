"""The Dagster code location: `dagster job execute -m orchestration.definitions -j daily_refresh`, `dg dev`."""

import dagster as dg

from common.province import province
from orchestration import partitions
from orchestration.assets.dbt import cakupan_dbt_models
from orchestration.assets.ingest import landed_extracts
from orchestration.assets.publish import published
from orchestration.resources import build_resources
from orchestration.sensors import landing_sensor
from orchestration.settings import CakupanSettings

daily_refresh = dg.define_asset_job(
    "daily_refresh",
    # CAKUPAN_PROVINCE's refresh: every asset but the province-partitioned job's (orchestration/partitions.py).
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups(partitions.GROUP),
    description="Load new landed files, build every dbt model and test, publish the analyst database.",
    # One process: start-up dominates small runs, and DuckDB takes one writer anyway.
    executor_def=dg.in_process_executor,
)


def daily_refresh_schedule(settings: CakupanSettings) -> dg.ScheduleDefinition:
    """06:00 in the served province's own time (runtime.md): Asia/Jayapura (WIT) for Maluku."""
    return dg.ScheduleDefinition(
        name="daily_refresh_schedule",
        job=daily_refresh,
        cron_schedule="0 6 * * *",
        execution_timezone=province(settings.configured_province()).time_zone,
        default_status=dg.DefaultScheduleStatus.RUNNING,
    )


def definitions(settings: CakupanSettings) -> dg.Definitions:
    """The assets, jobs, schedules and sensors over the resources made from `settings` (tests hand in their own):
    daily_refresh for CAKUPAN_PROVINCE, and province_refresh, a partition per configured province."""
    provinces = settings.configured_provinces()
    # The partitions' sensor and schedule run by default where provinces were configured; the Maluku default
    # refreshes with daily_refresh alone.
    configured = bool(settings.configured_provinces_setting())
    by_province = dg.StaticPartitionsDefinition(provinces)
    return dg.Definitions(
        assets=[
            landed_extracts,
            cakupan_dbt_models,
            published,
            *partitions.province_assets(by_province),
        ],
        jobs=[daily_refresh, partitions.province_refresh_job()],
        schedules=[daily_refresh_schedule(settings), partitions.province_refresh_schedule(provinces, configured)],
        sensors=[landing_sensor, partitions.province_landing_sensor(provinces, configured)],
        resources=build_resources(settings),
        executor=dg.in_process_executor,
    )


defs = definitions(CakupanSettings.bound_to_environment())
