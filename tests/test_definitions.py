"""The asset graph as Dagster loads it from `defs`, checked in seconds without running anything: the tables of
the spec as assets in their groups, the checks analysts see, the job, the schedule, the sensor, and the
resources all made from one settings resource."""

import dagster as dg
import pytest

from orchestration.definitions import definitions, defs
from orchestration.settings import CakupanSettings
from tests.marts import MART_NAMES

SOURCES = ("kepesertaan", "anggaran", "angkatan_kerja")
AUDIT = ("load_log", "deliveries", "refused_rows", "findings")
PUBLISHED = ("analytics_database", "mart_exports", "sender_feedback", "coverage_report")


def _specs() -> dict[str, dg.AssetSpec]:
    return {spec.key.to_user_string(): spec for spec in defs.resolve_all_asset_specs()}


def test_the_spec_tables_are_assets_in_their_groups():
    specs = _specs()
    for mart in MART_NAMES:
        assert specs[f"marts/{mart}"].group_name == "marts"
        assert "pii" not in specs[f"marts/{mart}"].tags  # marts are aggregates
    for name in SOURCES:
        assert specs[f"raw/{name}"].group_name == "ingest"
    for name in AUDIT:
        assert specs[f"audit/{name}"].group_name == "ingest"
    for name in PUBLISHED:
        assert specs[name].group_name == "publish"
    # Every model layer of the dbt project is there, each in the group of its folder.
    groups = {spec.group_name for key, spec in specs.items() if key.split("/")[0] in ("staging", "intermediate")}
    assert groups == {"staging", "intermediate"}


def test_personal_data_is_tagged_where_it_lives():
    specs = _specs()
    tagged = {key for key, spec in specs.items() if "pii" in spec.tags}
    assert {"raw/kepesertaan", "staging/stg_kepesertaan", "intermediate/int_membership_versions"} <= tagged
    assert not {key for key in tagged if key.startswith(("marts/", "audit/", "reference/"))}


def test_publishing_waits_for_every_published_mart_and_the_audit_tables_in_order():
    graph = defs.resolve_asset_graph()
    upstream = {key.to_user_string() for key in graph.get(dg.AssetKey("analytics_database")).parent_keys}
    assert {f"marts/{mart}" for mart in MART_NAMES} | {f"audit/{name}" for name in AUDIT} <= upstream
    assert {k.to_user_string() for k in graph.get(dg.AssetKey("mart_exports")).parent_keys} == {"analytics_database"}
    assert {k.to_user_string() for k in graph.get(dg.AssetKey("sender_feedback")).parent_keys} == {"mart_exports"}
    # The report is written last: once it is, the build counts as published.
    assert {k.to_user_string() for k in graph.get(dg.AssetKey("coverage_report")).parent_keys} == {
        "mart_exports",
        "sender_feedback",
    }


def test_the_checks_analysts_see():
    graph = defs.resolve_asset_graph()
    checks = {(key.asset_key.to_user_string(), key.name) for key in graph.asset_check_keys}
    for name in SOURCES:
        assert (f"raw/{name}", "refusal_ratio") in checks
    assert ("raw/kepesertaan", "enrolment_freshness") in checks
    # dbt's data tests are checks on the model they test: every mart has one, but the two that are sums of nothing
    # else (unmapped_occupations, a count per occupation) or of one mart alone (coverage_monthly_regency, of
    # coverage_monthly), where a check could not fail.
    for mart in set(MART_NAMES) - {"unmapped_occupations", "coverage_monthly_regency"}:
        assert any(asset == f"marts/{mart}" for asset, _ in checks), mart
    assert ("marts/coverage_province", "breakdowns_sum_to_the_province") in checks


def test_the_job_schedule_and_sensor_of_runtime_md():
    job = defs.resolve_job_def("daily_refresh")
    # Every asset but the province-partitioned job's three stages (tests/test_schedule_and_sensor.py).
    every = {key for key in defs.resolve_all_asset_keys() if key.path[0] != "provinces"}
    assert set(job.asset_layer.asset_graph.get_all_asset_keys()) >= every
    schedule = defs.resolve_schedule_def("daily_refresh_schedule")
    assert (schedule.job_name, schedule.cron_schedule, schedule.execution_timezone) == (
        "daily_refresh",
        "0 6 * * *",
        "Asia/Jayapura",
    )
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    sensor = defs.resolve_sensor_def("landing_sensor")
    assert sensor.job_name == "daily_refresh" and sensor.default_status == dg.DefaultSensorStatus.RUNNING


def test_the_warehouse_and_its_lock_follow_the_one_settings_resource(tmp_path):
    settings = CakupanSettings(warehouse=str(tmp_path / "w.duckdb"), duckdb_memory_limit="300MB", duckdb_threads="1")
    resources = definitions(settings).resources
    assert resources["settings"] is settings
    assert resources["warehouse"].path == tmp_path / "w.duckdb"
    with resources["warehouse"].get_connection() as conn:
        limits = conn.execute("select current_setting('memory_limit'), current_setting('threads')").fetchone()
        assert limits[0] in ("286.1 MiB", "300.0 MB") and limits[1] == 1
    assert settings.dbt_vars()["threads"] == "1" and settings.dbt_vars()["memory_limit"] == "300MB"
    with resources["warehouse"].lock(print):
        assert (tmp_path / "w.duckdb.lock").exists()


@pytest.mark.refresh  # runs dbt deps and dbt parse, as `dagster dev` does when it loads the code location
def test_the_code_location_loads_under_dagster_dev_without_the_venv_on_path(tmp_path):
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    from tests.workspace import ROOT, Workspace

    bare_path = "/usr/bin:/bin"
    assert shutil.which("dbt", path=bare_path) is None  # else this would prove nothing
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(ROOT / "orchestration" / "dagster.yaml", home)
    env = {
        "PATH": bare_path,
        "DAGSTER_HOME": str(home),
        "DAGSTER_IS_DEV_CLI": "1",  # what `dagster dev` and `dg dev` set: the dbt project is parsed on load
        **Workspace(tmp_path).environment(),
    }
    done = subprocess.run(
        [str(Path(sys.executable).parent / "dagster"), "definitions", "validate", "-m", "orchestration.definitions"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Validation successful for code location orchestration.definitions" in done.stdout + done.stderr
