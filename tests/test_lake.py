"""The warehouse as a DuckLake on a real PostgreSQL (tests/postgres.py), provinces as partitions of
`province_refresh` run by `dagster job execute` against one Dagster instance, two at once: each province's marts equal
that province refreshed alone into a DuckDB file and its generator's truth, the national mart gathers them, what
DuckLake does not enforce is tested there, one pseudonym key holds for the lake, a partition killed mid-build leaves
its published snapshot and every other province as they were, and an analyst holding a published snapshot sees no
change while a refresh commits. (Maluku's hand-made numbers on the lake: tests/test_handmade_population.py.)"""

import contextlib
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from common.lake import NATIONAL, Lake, attach, extension_config
from common.province import province as common_province
from publish.lake_snapshots import attach_published_sql, published_snapshot
from synthetic import generate
from tests.marts import MART_NAMES
from tests.populations import write_big_delta
from tests.refreshes import failure_message, kill_when, start_refresh
from tests.workspace import ROOT, Workspace

pytestmark = pytest.mark.refresh  # runs the pipeline: `make test-fast` leaves it out

# Maluku, Jawa Timur (38 regencies, WIB) and Kalimantan Utara (5 regencies, WITA), each from its own seed.
PROVINCES = {"81": 11, "35": 12, "65": 13}


def province_marts(ws: Workspace, code: str, dicts: bool = False) -> dict[str, list]:
    """A province's published analyst database (`<folder>/<code>/analytics.duckdb`), mart by mart (and, as dicts,
    its load log)."""
    path = ws.analytics_db.parent / code / ws.analytics_db.name
    with duckdb.connect(str(path), read_only=True) as conn:
        tables = {mart: f"marts.{mart}" for mart in MART_NAMES} | ({"load_log": "audit.load_log"} if dicts else {})
        out = {}
        for name, table in tables.items():
            cursor = conn.execute(f"select * from {table} order by all")
            rows = cursor.fetchall()
            names = [d[0] for d in cursor.description]
            out[name] = [dict(zip(names, row, strict=True)) for row in rows] if dicts else rows
        return out


def lake_of(ws: Workspace) -> Lake:
    return Lake(ws.lake_catalog, str(ws.lake_data))


def snapshots(ws: Workspace, code: str) -> list[int]:
    with duckdb.connect(config=extension_config()) as conn:
        attach(conn, lake_of(ws), code, read_only=True)
        return [row[0] for row in conn.execute("select snapshot_id from ducklake_snapshots('warehouse')").fetchall()]


def run_partitions(ws: Workspace, *codes: str) -> None:
    """The partitions started at once, each `dagster job execute` in its own process; every one must succeed. The
    Dagster instance's storage exists before they start, as a deployment's daemon made it (two processes making
    its SQLite tables at once collide)."""
    dg.DagsterInstance.get().get_runs(limit=1)
    started = [(code, *start_refresh(ws, partition=code)) for code in codes]
    for code, process, lines in started:
        assert process.wait(timeout=900) == 0, f"partition {code}:\n" + "".join(lines[-40:])


@pytest.fixture(scope="module")
def provinces(tmp_path_factory, postgres):
    """Three generated provinces landed in their folders and refreshed as partitions, Maluku and Jawa Timur at once."""
    ws = Workspace(
        tmp_path_factory.mktemp("provinces"),
        lake_catalog=postgres.create_database("provinces"),
        provinces=",".join(PROVINCES),
    )
    ws.activate()
    expected = {
        code: generate(ws.landing / code, people=2000, seed=seed, province=code) for code, seed in PROVINCES.items()
    }
    run_partitions(ws, "81", "35")
    run_partitions(ws, "65")
    return ws, expected


def test_each_provinces_marts_equal_that_province_refreshed_alone_into_a_duckdb_file(provinces, tmp_path_factory):
    ws, _ = provinces
    for code, seed in PROVINCES.items():
        alone = Workspace(tmp_path_factory.mktemp(f"alone_{code}"), province=code)
        alone.activate()
        generate(alone.landing, people=2000, seed=seed, province=code)
        alone.refresh()
        with duckdb.connect(str(alone.analytics_db), read_only=True) as conn:
            mine = {mart: conn.execute(f"select * from marts.{mart} order by all").fetchall() for mart in MART_NAMES}
        assert province_marts(ws, code) == mine, code


def test_maluku_on_the_lake_holds_the_generators_truth(provinces):
    ws, expected = provinces
    with duckdb.connect(config=extension_config()) as conn:
        attach(conn, lake_of(ws), "81", read_only=True)
        cells = conn.execute(
            "select regency_code, sector, covered_workers, eligible_workers from marts.coverage_regency_sector"
        ).fetchall()
    truth = expected["81"]["cells"]
    assert {(r, s): (c, e) for r, s, c, e in cells} == {
        (c["regency_code"], c["sector"]): (c["covered_workers"], c["eligible_workers"]) for c in truth
    }


@pytest.mark.parametrize("code", ["35", "65"])
def test_another_province_holds_its_generators_truth_in_its_own_words(provinces, code):
    """Jawa Timur (38 regencies; Kabupaten and Kota Malang) and Kalimantan Utara (5: the generator's eleven
    Maluku roles wrap round), served from their own folders, on their own clocks, against the configured target."""
    ws, expected = provinces
    truth, served = expected[code], common_province(code)
    mine = province_marts(ws, code, dicts=True)
    (province,) = mine["coverage_province"]
    assert (province["covered_workers"], province["eligible_workers"]) == (
        truth["province"]["covered_workers"],
        truth["province"]["eligible_workers"],
    )
    assert (province["province_code"], province["province_name"]) == (code, served.display_name)
    assert (province["target_basis"], province["target_rate"]) == ("configured", 0.55)
    cells = {
        (r["regency_code"], r["sector"]): (r["covered_workers"], r["eligible_workers"])
        for r in mine["coverage_regency_sector"]
    }
    assert cells == {
        (c["regency_code"], c["sector"]): (c["covered_workers"], c["eligible_workers"]) for c in truth["cells"]
    }
    assert len(cells) == 11 * len(served.regencies)
    columns = ["fiscal_year", "owner_code", "sector", "targeted_workers", "pagu_idr", "realisasi_idr"]
    budget = sorted(tuple(r[c] for c in columns) for r in mine["budget_coverage"])
    assert budget == sorted(tuple(line[c] for c in columns) for line in truth["budget_coverage"])
    loaded = {r["file_name"]: (r["rows_read"], r["rows_refused"]) for r in mine["load_log"] if r["status"] == "LOADED"}
    assert loaded == {
        name: (f["rows_read"], f["rows_refused"]) for name, f in truth["files"].items() if f["source"] is not None
    }
    # The province's clock (WIB +7, WITA +8), naive: every file was loaded within the last half hour of it.
    now = dt.datetime.now(served.zone).replace(tzinfo=None)
    assert all(dt.timedelta(0) <= now - r["loaded_at"] < dt.timedelta(minutes=30) for r in mine["load_log"])
    page = (ws.export_dir / code / "coverage_report.html").read_text(encoding="utf-8")
    assert f"Peta tidak digambar: batas wilayah kabupaten/kota {served.display_name} belum tersedia" in page
    assert "bukan target resmi provinsi" in page  # the configured target, said to be one


def test_the_national_mart_has_every_provinces_published_coverage(provinces):
    ws, expected = provinces
    with duckdb.connect(config=extension_config()) as conn:
        attach(conn, lake_of(ws), NATIONAL, alias="national", read_only=True)
        rows = conn.execute(
            "select province_code, covered_workers, eligible_workers from national.marts.coverage_by_province"
        ).fetchall()
    assert sorted(rows) == sorted(
        (code, truth["province"]["covered_workers"], truth["province"]["eligible_workers"])
        for code, truth in expected.items()
    )


@contextlib.contextmanager
def lake_connection(ws: Workspace, code: str):
    conn = duckdb.connect(config=extension_config())
    try:
        attach(conn, lake_of(ws), code)
        yield conn
    finally:
        conn.close()


def test_each_province_is_a_ducklake_in_the_catalog_with_its_files_under_the_data_path(provinces, postgres):
    ws, _ = provinces
    schemas = set(postgres.psql("select schema_name from information_schema.schemata", "provinces").split())
    assert {"cakupan_81", "cakupan_35", "cakupan_65", "cakupan_national"} <= schemas  # metadata, in PostgreSQL
    for code in PROVINCES:
        assert list((ws.lake_data / code).rglob("*.parquet")), code  # data, as Parquet files under CAKUPAN_LAKE_DATA
    assert not list(ws.root.rglob("warehouse.duckdb"))  # no DuckDB warehouse file


def test_what_the_lake_does_not_enforce_is_tested_there(provinces):
    ws, _ = provinces
    results = ws.settings().for_province("81").dbt_target_path / "run_results.json"
    ran = {r["unique_id"]: r["status"] for r in json.loads(results.read_text())["results"]}
    checked = {uid.split(".")[2] for uid, status in ran.items() if ".lake_constraints_" in uid and status == "pass"}
    assert len(checked) == 9  # every mart whose contract has a key or a check


def test_a_key_twice_fails_the_lake_constraints_test(provinces, tmp_path):
    ws, _ = provinces
    settings = ws.settings().for_province("81")
    with lake_connection(ws, "81") as conn:
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
    finally:  # Maluku's lake as it was
        with lake_connection(ws, "81") as conn:
            conn.execute("create temp table kept as select distinct * from marts.coverage_regency")
            conn.execute("delete from marts.coverage_regency")
            conn.execute("insert into marts.coverage_regency select * from kept")


def test_a_province_under_another_key_loads_nothing_into_a_lake_of_one_key(provinces, tmp_path, monkeypatch):
    ws, _ = provinces
    # Sulawesi Selatan, into the same lake (its catalog and its data folder), under another key.
    other = Workspace(tmp_path, province="73", lake_catalog=ws.lake_catalog, shared_lake_data=ws.lake_data)
    monkeypatch.setenv("CAKUPAN_PII_KEY", "another-key-of-another-province-000000")
    other.activate()
    generate(other.landing, people=200, seed=3, province="73")
    result = other.refresh(raise_on_error=False)
    assert not result.success
    assert "not the key of the lake's other provinces" in failure_message(result)
    assert other.query("select count(*) n from audit.load_log", "warehouse") == [{"n": 0}]


def test_a_lake_refresh_needs_the_key_set_not_a_key_file(provinces, tmp_path, monkeypatch):
    ws, _ = provinces
    other = Workspace(tmp_path, province="73", lake_catalog=ws.lake_catalog, shared_lake_data=ws.lake_data)
    monkeypatch.delenv("CAKUPAN_PII_KEY")
    other.activate()
    generate(other.landing, people=200, seed=3, province="73")
    result = other.refresh(raise_on_error=False)
    assert not result.success
    assert "CAKUPAN_PII_KEY is not set, and the warehouse is a lake" in failure_message(result)
    assert not (tmp_path / ".pii_key").exists()  # no key file of this machine's own


def test_a_second_run_with_nothing_new_commits_nothing_to_the_lake(provinces):
    ws, _ = provinces
    before = snapshots(ws, "65")
    analytics = ws.analytics_db.parent / "65" / ws.analytics_db.name
    published = analytics.stat().st_ino
    run_partitions(ws, "65")
    assert snapshots(ws, "65") == before
    assert analytics.stat().st_ino == published  # not republished


def test_the_lakes_extensions_come_from_the_projects_folder_never_the_network(provinces):
    ws, _ = provinces
    from common.lake import EXTENSION_DIR
    from orchestration.resources import WarehouseResource

    with WarehouseResource(settings=ws.settings().for_province("81")).get_connection() as conn:
        assert conn.execute("select current_setting('autoinstall_known_extensions')").fetchone()[0] is False
        paths = conn.execute(
            "select install_path from duckdb_extensions() where extension_name in ('ducklake', 'postgres_scanner')"
        ).fetchall()
    assert len(paths) == 2 and all(Path(p).is_relative_to(EXTENSION_DIR) for (p,) in paths)


def test_an_analyst_holding_the_published_snapshot_sees_no_change_while_a_refresh_commits(provinces):
    ws, _ = provinces
    lake = lake_of(ws)
    with duckdb.connect(config=extension_config()) as analyst:
        attach(analyst, lake, "81", alias="latest", read_only=True, use=False)
        snapshot = analyst.execute("select max(snapshot_id) from latest.pipeline.published_snapshots").fetchone()[0]
        analyst.execute(attach_published_sql(lake, "81", snapshot))
        before = analyst.execute("select * from cakupan.marts.coverage_regency order by all").fetchall()
        write_big_delta(ws.landing / "81" / "kepesertaan_20241231_besar.csv", rows=3000)
        run_partitions(ws, "81")
        assert analyst.execute("select * from cakupan.marts.coverage_regency order by all").fetchall() == before
    with duckdb.connect(config=extension_config()) as fresh:
        attach(fresh, lake, "81", read_only=True)
        newer = published_snapshot(fresh)
        assert newer is not None and newer > snapshot
        assert fresh.execute("select * from marts.coverage_regency order by all").fetchall() != before


def national(ws: Workspace) -> list[tuple]:
    with duckdb.connect(config=extension_config()) as conn:
        attach(conn, lake_of(ws), NATIONAL, alias="national", read_only=True)
        return conn.execute("select * from national.marts.coverage_by_province order by all").fetchall()


def published_marts(ws: Workspace, code: str) -> tuple[int | None, dict[str, list[tuple]]]:
    """A province's published snapshot and its marts as an analyst attaching it reads them."""
    lake = lake_of(ws)
    with duckdb.connect(config=extension_config()) as conn:
        attach(conn, lake, code, alias="latest", read_only=True)
        snapshot = published_snapshot(conn)
        assert snapshot is not None
        conn.execute(attach_published_sql(lake, code, snapshot))
        return snapshot, {
            m: conn.execute(f"select * from cakupan.marts.{m} order by all").fetchall() for m in MART_NAMES
        }


def test_a_partition_killed_mid_build_leaves_its_published_snapshot_and_every_other_province(provinces):
    ws, _ = provinces
    before = published_marts(ws, "81")
    analytics = (ws.analytics_db.parent / "81" / ws.analytics_db.name).read_bytes()
    others = {code: snapshots(ws, code) for code in ("35", "65")}
    national_before = national(ws)
    write_big_delta(ws.landing / "81" / "kepesertaan_20241231_besar2.csv", rows=20_000)

    process, lines = start_refresh(ws, partition="81")
    kill_when(process, lines, "dbt: parsing the project and building", delay=1.0)

    assert published_marts(ws, "81") == before  # the published snapshot, and what it holds
    assert (ws.analytics_db.parent / "81" / ws.analytics_db.name).read_bytes() == analytics
    assert {code: snapshots(ws, code) for code in ("35", "65")} == others  # not a commit elsewhere
    assert national(ws) == national_before


INSTALL_INTO = """
import sys
from pathlib import Path
import duckdb
import common.lake as lake
lake.EXTENSION_DIR = Path(sys.argv[1])
with duckdb.connect(config=lake.extension_config()) as conn:
    lake.install_extensions(conn)
    print(sorted(n for n, loaded in conn.execute("select extension_name, loaded from duckdb_extensions()").fetchall()
                 if loaded and n in lake.EXTENSIONS))
"""


def test_provinces_starting_at_once_on_a_fresh_machine_each_load_the_extensions(tmp_path):
    """Partitions start together; the first to install must not leave another a half-written extension."""
    folder = tmp_path / "extensions"
    started = [
        subprocess.Popen(
            [sys.executable, "-c", INSTALL_INTO, str(folder)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(3)
    ]
    for process in started:
        output, _ = process.communicate(timeout=300)
        assert process.returncode == 0, output
        assert output.strip().endswith("['ducklake', 'postgres_scanner']"), output
