"""The settings' defaults are stated once (orchestration/settings.py): the Makefile asks for them, and dbt's profile
takes them as `--vars` and restates none of its own."""

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from common.province import UnknownProvince
from orchestration.settings import PROJECT_ROOT, CakupanSettings
from tests.workspace import ROOT

_SETTINGS = [sys.executable, "-m", "orchestration.settings"]
_DUCKDB_LIMITS = (
    "select current_setting('memory_limit') as memory_limit, current_setting('threads') as threads, "
    "current_setting('temp_directory') as temp_directory"
)


def _without_settings() -> dict[str, str]:
    return {name: value for name, value in os.environ.items() if not name.startswith("CAKUPAN_")}


def test_the_makefile_gets_the_settings_as_the_pipeline_resolves_them(tmp_path):
    env = {
        **_without_settings(),
        "CAKUPAN_WAREHOUSE": "elsewhere/w.duckdb",
        "CAKUPAN_DUCKDB_THREADS": "1",
        "CAKUPAN_PROVINCE": "34",
    }
    said = subprocess.run([*_SETTINGS], cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout
    assert json.loads(said) == {
        "warehouse": str(tmp_path / "elsewhere" / "w.duckdb"),  # a value given is read from the working directory
        "province_code": "34",  # the province, named as the national list names it
        "province_name": "Provinsi Daerah Istimewa Yogyakarta",
        "province_owner_name": "Pemerintah Provinsi Daerah Istimewa Yogyakarta",
        "memory_limit": "4GB",
        "threads": "1",
        "temp_directory": str(tmp_path / "elsewhere" / "w.duckdb.tmp"),
    }
    landing = subprocess.run(
        [*_SETTINGS, "landing_dir"], cwd=tmp_path, env=_without_settings(), capture_output=True, text=True, check=True
    ).stdout.strip()
    assert landing == str(PROJECT_ROOT / "data" / "landing")  # a default is the repository's


def _dbt_show_limits(env: dict[str, str], tmp_path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            str(Path(sys.executable).parent / "dbt"),
            "show",
            "--quiet",
            "--profiles-dir",
            ".",
            "--output",
            "json",
            "--inline",
            _DUCKDB_LIMITS,
            *args,
        ],
        cwd=ROOT / "dbt_project",
        env={**env, "DBT_TARGET_PATH": str(tmp_path / "target")},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.refresh  # runs dbt
def test_dbt_opens_duckdb_with_the_settings_and_restates_no_default(tmp_path):
    settings = CakupanSettings(warehouse=str(tmp_path / "warehouse.duckdb"))
    given = _dbt_show_limits(_without_settings(), tmp_path, "--vars", json.dumps(settings.dbt_vars()))
    assert given.returncode == 0, given.stdout + given.stderr
    (limits,) = json.loads(given.stdout[given.stdout.index("{") :])["show"]
    with duckdb.connect(config={"memory_limit": settings.memory_limit}) as reference:
        memory = reference.execute("select current_setting('memory_limit')").fetchone()[0]
    assert limits == {"memory_limit": memory, "threads": settings.threads, "temp_directory": str(settings.temp_path)}

    # By hand with nothing set, the profile asks for the warehouse rather than guessing one.
    guessed = _dbt_show_limits(_without_settings(), tmp_path)
    assert guessed.returncode != 0 and "CAKUPAN_WAREHOUSE" in guessed.stdout + guessed.stderr
    # With only the warehouse set, DuckDB's own limits, not numbers of the profile's: threads are the cores, as the
    # settings' default.
    by_hand = _dbt_show_limits({**_without_settings(), "CAKUPAN_WAREHOUSE": settings.warehouse}, tmp_path)
    assert by_hand.returncode == 0, by_hand.stdout + by_hand.stderr
    (limits,) = json.loads(by_hand.stdout[by_hand.stdout.index("{") :])["show"]
    with duckdb.connect() as plain:
        duckdb_own = plain.execute(_DUCKDB_LIMITS).fetchone()
    assert (limits["memory_limit"], limits["threads"]) == duckdb_own[:2]
    assert limits["threads"] == os.cpu_count() == CakupanSettings().threads


def test_the_province_is_a_code_of_the_national_list_or_a_clear_error():
    assert CakupanSettings().province_code == "81"  # Maluku unless set
    assert CakupanSettings(province="96").province_code == "96"  # Papua Barat Daya, made in 2022
    with pytest.raises(UnknownProvince, match=r"CAKUPAN_PROVINCE='99'.*indonesia_regencies.csv.*two digits"):
        CakupanSettings(province="99").province_code  # noqa: B018


def test_a_lake_needs_both_settings_and_no_password_in_its_catalog_string():
    from common.lake import LakeMisconfigured

    assert CakupanSettings().lake is None  # the default: a DuckDB file
    lake = CakupanSettings(lake_catalog="host=127.0.0.1 dbname=lake user=cakupan", lake_data="/srv/lake").lake
    assert lake is not None and lake.data_path("81") == "/srv/lake/81/"
    with pytest.raises(LakeMisconfigured, match="CAKUPAN_LAKE_DATA is not"):
        CakupanSettings(lake_catalog="host=127.0.0.1 dbname=lake").lake  # noqa: B018
    with pytest.raises(LakeMisconfigured, match="CAKUPAN_LAKE_CATALOG is not"):
        CakupanSettings(lake_data="/srv/lake").lake  # noqa: B018
    # A password would be repeated in logs and dbt's run results: libpq takes it from PGPASSWORD or ~/.pgpass.
    for catalog in ("host=db dbname=lake user=c password=s3cret", "postgresql://c:s3cret@db/lake"):
        with pytest.raises(LakeMisconfigured, match="holds a password") as refused:
            CakupanSettings(lake_catalog=catalog, lake_data="/srv/lake").lake  # noqa: B018
        assert "s3cret" not in str(refused.value)
