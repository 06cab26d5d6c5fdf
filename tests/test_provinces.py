"""Provinces as partitions of `province_refresh` on one lake (a real PostgreSQL catalog, tests/postgres.py), run by
`dagster job execute` against one Dagster instance, two at once: each province's marts equal that province refreshed
alone into a DuckDB file, the national mart gathers them, a partition killed mid-build leaves its published snapshot
and every other province as they were, and an analyst holding a published snapshot sees no change while a refresh
commits."""

import duckdb
import pytest

from common.lake import NATIONAL, Lake, attach, extension_config
from publish.lake_snapshots import attach_published_sql, published_snapshot
from synthetic import generate
from tests.marts import MART_NAMES
from tests.populations import write_big_delta
from tests.refreshes import kill_when, start_refresh
from tests.workspace import Workspace

pytestmark = pytest.mark.refresh  # runs the pipeline: `make test-fast` leaves it out

# Maluku, Jawa Timur (38 regencies, WIB) and Kalimantan Utara (5 regencies, WITA), each from its own seed.
PROVINCES = {"81": 11, "35": 12, "65": 13}


def province_marts(ws: Workspace, code: str) -> dict[str, list[tuple]]:
    """A province's published analyst database (`<folder>/<code>/analytics.duckdb`), mart by mart."""
    path = ws.analytics_db.parent / code / ws.analytics_db.name
    with duckdb.connect(str(path), read_only=True) as conn:
        return {mart: conn.execute(f"select * from marts.{mart} order by all").fetchall() for mart in MART_NAMES}


def lake_of(ws: Workspace) -> Lake:
    return Lake(ws.lake_catalog, str(ws.lake_data))


def snapshots(ws: Workspace, code: str) -> list[int]:
    with duckdb.connect(config=extension_config()) as conn:
        attach(conn, lake_of(ws), code, read_only=True)
        return [row[0] for row in conn.execute("select snapshot_id from ducklake_snapshots('warehouse')").fetchall()]


def run_partitions(ws: Workspace, *codes: str) -> None:
    """The partitions started at once, each `dagster job execute` in its own process; every one must succeed."""
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
    write_big_delta(ws.landing / "81" / "kepesertaan_20241231_besar2.csv", rows=50_000)

    process, lines = start_refresh(ws, partition="81")
    kill_when(process, lines, "dbt: parsing the project and building", delay=1.0)

    assert published_marts(ws, "81") == before  # the published snapshot, and what it holds
    assert (ws.analytics_db.parent / "81" / ws.analytics_db.name).read_bytes() == analytics
    assert {code: snapshots(ws, code) for code in ("35", "65")} == others  # not a commit elsewhere
    assert national(ws) == national_before
    run_partitions(ws, "81")  # and the next run finishes what the killed one began
    assert published_marts(ws, "81")[0] > before[0]
