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


def test_the_layout_asked_about_on_every_asset_event_is_looked_up_until_found(dagster_home, monkeypatch):
    looked_up: list[str] = []
    parent = event_log.SqliteEventLogStorage
    has_column = parent._has_asset_key_col_on_connection
    monkeypatch.setattr(
        parent,
        "_has_asset_key_col_on_connection",
        lambda self, conn, column: looked_up.append(column) or has_column(self, conn, column),
    )
    instance = dg.DagsterInstance.from_config(str(dagster_home))
    for count in range(4):
        _materialise(instance, count)
    assert _latest_count(instance) == 3
    assert len(looked_up) == len(set(looked_up)) >= 1  # found on the first event, remembered after

    # A column not there yet (an instance not migrated) is looked for again: a migration may add it meanwhile.
    storage = instance.event_log_storage
    with storage.index_connection() as conn:
        assert not storage._has_asset_key_col_on_connection(conn, "added_by_a_later_dagster")
        assert not storage._has_asset_key_col_on_connection(conn, "added_by_a_later_dagster")
    assert looked_up.count("added_by_a_later_dagster") == 2
