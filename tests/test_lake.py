"""The warehouse as a DuckLake on a real PostgreSQL (tests/postgres.py): a refresh into the lake gives the marts a
refresh into a DuckDB file gives, and the generator's truth; what DuckLake does not enforce is tested there."""

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from common.lake import Lake, attach, extension_config
from synthetic import generate
from tests.marts import MART_NAMES
from tests.refreshes import failure_message
from tests.workspace import ROOT, Workspace

pytestmark = pytest.mark.refresh  # runs the pipeline: `make test-fast` leaves it out


def marts(ws: Workspace, database: str = "analytics") -> dict[str, list[dict]]:
    return {mart: ws.query(f"select * from marts.{mart} order by all", database) for mart in MART_NAMES}


@pytest.fixture(scope="module")
def maluku_on_both(tmp_path_factory, postgres):
    """One generated Maluku, refreshed into a lake and, from the same landed files, into a DuckDB file."""
    lake = Workspace(tmp_path_factory.mktemp("lake"), lake_catalog=postgres.create_database("maluku_on_both"))
    lake.activate()
    expected = generate(lake.landing, people=3000, seed=11)
    lake.refresh()
    file = Workspace(tmp_path_factory.mktemp("file"))
    file.activate()
    generate(file.landing, people=3000, seed=11)
    file.refresh()
    return lake, file, expected


def test_the_lake_holds_the_marts_a_duckdb_file_holds(maluku_on_both):
    lake, file, _ = maluku_on_both
    assert marts(lake, "warehouse") == marts(file, "warehouse")
    assert marts(lake) == marts(file)  # and publishes the same analyst database


def test_the_lakes_marts_equal_the_generators_truth(maluku_on_both):
    lake, _, expected = maluku_on_both
    (province,) = lake.query("select * from marts.coverage_province", "warehouse")
    assert (province["covered_workers"], province["eligible_workers"]) == (
        expected["province"]["covered_workers"],
        expected["province"]["eligible_workers"],
    )
    cells = {
        (r["regency_code"], r["sector"]): (r["covered_workers"], r["eligible_workers"])
        for r in lake.query("select * from marts.coverage_regency_sector", "warehouse")
    }
    assert cells == {
        (c["regency_code"], c["sector"]): (c["covered_workers"], c["eligible_workers"]) for c in expected["cells"]
    }


def test_the_lake_is_a_ducklake_in_the_catalog_with_its_files_under_the_data_path(maluku_on_both, postgres):
    lake, *_ = maluku_on_both
    schemas = postgres.psql("select schema_name from information_schema.schemata", "maluku_on_both").split()
    assert "cakupan_81" in schemas  # the province's metadata, in PostgreSQL
    assert list((lake.lake_data / "81").rglob("*.parquet"))  # its data, as Parquet files under CAKUPAN_LAKE_DATA
    assert not lake.warehouse.exists()  # no DuckDB warehouse file


def test_what_the_lake_does_not_enforce_is_tested_there(maluku_on_both):
    lake, *_ = maluku_on_both
    results = lake.settings().dbt_target_path / "run_results.json"
    ran = {r["unique_id"]: r["status"] for r in json.loads(results.read_text())["results"]}
    checked = {uid.split(".")[2] for uid, status in ran.items() if ".lake_constraints_" in uid and status == "pass"}
    assert len(checked) == 9  # every mart whose contract has a key or a check


def test_a_key_twice_fails_the_lake_constraints_test(maluku_on_both, tmp_path):
    lake, *_ = maluku_on_both
    settings = lake.settings()
    with lake_connection(lake) as conn:
        conn.execute("insert into marts.coverage_regency select * from marts.coverage_regency limit 1")
    try:
        dbt = [str(Path(sys.executable).parent / "dbt"), "test", "--quiet", "--profiles-dir", ".", "--target", "lake"]
        done = subprocess.run(
            [*dbt, "--vars", json.dumps(settings.dbt_vars()), "--select", "coverage_regency,tag:lake_constraints"],
            cwd=ROOT / "dbt_project",
            env={**os.environ, "DBT_TARGET_PATH": str(tmp_path / "target")},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 1, done.stdout + done.stderr
        assert "lake_constraints_coverage_regency" in done.stdout
    finally:  # the module's lake as it was
        with lake_connection(lake) as conn:
            conn.execute("create temp table kept as select distinct * from marts.coverage_regency")
            conn.execute("delete from marts.coverage_regency")
            conn.execute("insert into marts.coverage_regency select * from kept")


@contextlib.contextmanager
def lake_connection(ws: Workspace):
    conn = duckdb.connect(config=extension_config())
    try:
        attach(conn, Lake(ws.lake_catalog, str(ws.lake_data)), ws.province)
        yield conn
    finally:
        conn.close()


def test_a_province_under_another_key_loads_nothing_into_a_lake_of_one_key(maluku_on_both, tmp_path, monkeypatch):
    lake, *_ = maluku_on_both
    # The same lake: its catalog and its data folder.
    other = Workspace(tmp_path, province="35", lake_catalog=lake.lake_catalog, shared_lake_data=lake.lake_data)
    monkeypatch.setenv("CAKUPAN_PII_KEY", "another-key-of-another-province-000000")
    other.activate()
    generate(other.landing, people=200, seed=3, province="35")
    result = other.refresh(raise_on_error=False)
    assert not result.success
    assert "not the key of the lake's other provinces" in failure_message(result)
    assert other.query("select count(*) n from audit.load_log", "warehouse") == [{"n": 0}]


def test_a_second_refresh_with_nothing_new_commits_nothing_to_the_lake(maluku_on_both):
    lake, *_ = maluku_on_both
    with lake_connection(lake) as conn:
        before = conn.execute("select max(snapshot_id) from ducklake_snapshots('warehouse')").fetchone()[0]
    published = lake.analytics_db.stat().st_ino
    assert lake.refresh().success
    with lake_connection(lake) as conn:
        assert conn.execute("select max(snapshot_id) from ducklake_snapshots('warehouse')").fetchone()[0] == before
    assert lake.analytics_db.stat().st_ino == published  # not republished


def test_the_lakes_extensions_come_from_the_projects_folder_never_the_network(maluku_on_both):
    lake, *_ = maluku_on_both
    from common.lake import EXTENSION_DIR
    from orchestration.resources import WarehouseResource

    with WarehouseResource(settings=lake.settings()).get_connection() as conn:
        assert conn.execute("select current_setting('autoinstall_known_extensions')").fetchone()[0] is False
        paths = conn.execute(
            "select install_path from duckdb_extensions() where extension_name in ('ducklake', 'postgres_scanner')"
        ).fetchall()
    assert len(paths) == 2 and all(Path(p).is_relative_to(EXTENSION_DIR) for (p,) in paths)
