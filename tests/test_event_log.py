"""Dagster's event log as the project configures it (orchestration/dagster.yaml, orchestration/event_log.py): in
Dagster's usual files, each database's engine kept by the process, and every process still seeing what the others
wrote (a run writes, the webserver and the daemon read)."""

import shutil

import dagster as dg
import pytest
from sqlalchemy import create_engine

from orchestration import event_log
from tests.workspace import ROOT

KEY = dg.AssetKey(["marts", "coverage_province"])


@pytest.fixture
def dagster_home(tmp_path, monkeypatch):
    """A Dagster home of its own with the project's dagster.yaml (the session's is shared by every test)."""
    shutil.copy(ROOT / "orchestration" / "dagster.yaml", tmp_path / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    return tmp_path


def _materialise(instance: dg.DagsterInstance, count: int) -> None:
    instance.report_runless_asset_event(dg.AssetMaterialization(KEY, metadata={"dagster/row_count": count}))


def _latest_count(instance: dg.DagsterInstance) -> int:
    event = instance.get_latest_materialization_event(KEY)
    assert event is not None and event.asset_materialization is not None
    return event.asset_materialization.metadata["dagster/row_count"].value


def test_the_event_log_keeps_one_engine_per_database_in_dagsters_own_files(dagster_home, monkeypatch):
    made = []
    monkeypatch.setattr(event_log, "create_engine", lambda *a, **k: made.append(a[0]) or create_engine(*a, **k))
    instance = dg.DagsterInstance.from_config(str(dagster_home))
    assert isinstance(instance.event_log_storage, event_log.KeptEngineSqliteEventLogStorage)
    for count in range(5):
        _materialise(instance, count)
        assert _latest_count(instance) == count
    assert len(made) == len(set(made)) <= 2  # the index's and the runless events' own, each made once
    assert (dagster_home / "history" / "runs" / "index.db").exists()


def test_what_one_instance_writes_the_others_read_at_once(dagster_home):
    # As a run's process and the webserver's, on the same files.
    writer, reader = (dg.DagsterInstance.from_config(str(dagster_home)) for _ in range(2))
    for count in (2, 3):
        _materialise(writer, count)
        assert _latest_count(reader) == count  # a kept engine keeps compiled SQL, never rows
    _materialise(reader, 4)
    assert _latest_count(writer) == 4
