"""Dagster's event log as the project configures it (orchestration/dagster.yaml, orchestration/event_log.py): in
Dagster's usual files, each database's engine kept by the process, and every process still seeing what the others
wrote (a run writes, the webserver and the daemon read)."""

import os
from pathlib import Path

import dagster as dg

from orchestration.event_log import KeptEngineSqliteEventLogStorage

KEY = dg.AssetKey(["marts", "coverage_province"])


def _instance() -> dg.DagsterInstance:
    return dg.DagsterInstance.from_config(os.environ["DAGSTER_HOME"])


def _latest_count(instance: dg.DagsterInstance) -> int:
    event = instance.get_latest_materialization_event(KEY)
    assert event is not None and event.asset_materialization is not None
    return event.asset_materialization.metadata["dagster/row_count"].value


def test_the_event_log_keeps_its_engines_in_dagsters_own_files():
    instance = _instance()
    assert isinstance(instance.event_log_storage, KeptEngineSqliteEventLogStorage)
    instance.report_runless_asset_event(dg.AssetMaterialization(KEY, metadata={"dagster/row_count": 1}))
    assert (Path(os.environ["DAGSTER_HOME"]) / "history" / "runs" / "index.db").exists()


def test_what_one_instance_writes_the_others_read_at_once():
    writer, reader = _instance(), _instance()  # as a run's process and the webserver's, on the same files
    for count in (2, 3):
        writer.report_runless_asset_event(dg.AssetMaterialization(KEY, metadata={"dagster/row_count": count}))
        assert _latest_count(reader) == count  # a kept engine keeps compiled SQL, never rows
    reader.report_runless_asset_event(dg.AssetMaterialization(KEY, metadata={"dagster/row_count": 4}))
    assert _latest_count(writer) == 4
