"""A refresh builds only what new loads touched: files arriving over several refreshes, late and out of
order, give the same marts (and the same intermediate history) as all of them loaded at once; a refresh
with nothing new builds nothing; a changed dbt project is rebuilt whole."""

import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration.build_state import plan_build, project_fingerprint, record_build, record_published
from synthetic import generate
from tests.marts import MART_NAMES
from tests.refreshes import HISTORY, history, marts
from tests.workspace import ROOT, Workspace, run_dbt

pytestmark = pytest.mark.refresh  # runs the pipeline: `make test-fast` leaves it out


def builds(ws: Workspace) -> list[dict]:
    return ws.query(
        "select full_refresh, load_watermark, published_at is not null as published "
        "from audit.builds order by built_at",
        "warehouse",
    )


def land(ws: Workspace, source: Path, names: list[str]) -> None:
    for name in names:
        shutil.copy(source / name, ws.landing / name)


@pytest.fixture(scope="module")
def both_ways(tmp_path_factory):
    source = tmp_path_factory.mktemp("extracts")
    generate(source, people=1500, seed=23)
    names = sorted(p.name for p in source.iterdir())
    enrolment = sorted((n for n in names if n.lower().startswith("kepesertaan_")), key=lambda n: n[12:20])
    others = [n for n in names if n not in enrolment]

    at_once = Workspace(tmp_path_factory.mktemp("at_once"))
    at_once.activate()
    land(at_once, source, names)
    at_once.refresh()
    expected_marts, expected_history = marts(at_once), history(at_once)

    # The newest deltas first, then the older ones late (versions that change the past, months added
    # before the first), then the rest; then a refresh with nothing new.
    in_steps = Workspace(tmp_path_factory.mktemp("in_steps"))
    in_steps.activate()
    # Published whole each time, as the schedule does (the report, publishing's last step, records it).
    land(in_steps, source, others + enrolment[-4:])
    in_steps.refresh(report=True)
    land(in_steps, source, enrolment[:3])
    in_steps.refresh(report=True)
    land(in_steps, source, enrolment[3:-4])
    in_steps.refresh(report=True)
    nothing_new = in_steps.refresh(report=True)
    return expected_marts, expected_history, in_steps, nothing_new


def test_marts_built_in_steps_equal_marts_built_at_once(both_ways):
    expected_marts, _, in_steps, _ = both_ways
    actual = marts(in_steps)
    for mart in MART_NAMES:
        assert actual[mart] == expected_marts[mart], mart


def test_history_built_in_steps_equals_history_built_at_once(both_ways):
    _, expected_history, in_steps, _ = both_ways
    actual = history(in_steps)
    for name in HISTORY:
        assert len(actual[name]) == len(expected_history[name]), name
        assert actual[name] == expected_history[name], name


def test_the_first_build_is_whole_and_later_ones_incremental(both_ways):
    *_, in_steps, _ = both_ways
    recorded = builds(in_steps)
    assert [b["full_refresh"] for b in recorded] == [True, False, False]
    assert all(b["published"] for b in recorded)
    watermarks = [b["load_watermark"] for b in recorded]
    assert watermarks == sorted(watermarks) and len(set(watermarks)) == 3


def test_a_refresh_with_nothing_new_builds_and_publishes_nothing(both_ways):
    *_, in_steps, nothing_new = both_ways
    assert nothing_new.success
    materialized = {e.asset_key.path[0] for e in nothing_new.get_asset_materialization_events()}
    assert "marts" not in materialized and "intermediate" not in materialized
    assert not any(e.asset_key.path[-1] == "analytics_database" for e in nothing_new.get_asset_materialization_events())
    assert len(builds(in_steps)) == 3


def _dbt_test(warehouse: Path, model: str, target: Path) -> list[dict]:
    import json

    run_dbt(warehouse, target, "test", "--select", model, "--exclude-resource-type", "unit_test")
    return json.loads((target / "run_results.json").read_text())["results"]


def test_a_build_checks_the_keys_it_wrote_against_all_of_history(both_ways, tmp_path):
    """The uniqueness of spells is checked for the rows the newest build wrote only, but against every kept
    row: a new row repeating the key of a row kept from the first build fails the check."""
    *_, in_steps, _ = both_ways
    copy = tmp_path / "warehouse.duckdb"  # dbt's catalog is named after the file
    shutil.copy(in_steps.warehouse, copy)
    assert {r["status"] for r in _dbt_test(copy, "int_person_spells", tmp_path / "clean")} == {"pass"}

    with duckdb.connect(str(copy)) as conn:
        stamps = conn.execute("select min(built_at), max(built_at) from intermediate.int_person_spells").fetchone()
        assert stamps[0] < stamps[1]  # rows kept from the first build beside the newest build's
        conn.execute(
            "insert into intermediate.int_person_spells by name "
            "select * replace (? as built_at) from intermediate.int_person_spells where built_at = ? limit 1",
            [stamps[1], stamps[0]],
        )
    results = _dbt_test(copy, "int_person_spells", tmp_path / "duplicated")
    assert [(r["status"], r["failures"]) for r in results if "unique" in r["unique_id"]] == [("fail", 1)]


# The plan on its own ------------------------------------------------------------------------------


@pytest.fixture
def warehouse(tmp_path):
    from ingest.warehouse import ensure_schema

    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    ensure_schema(conn)
    return conn


def _load(conn, load_id: int) -> None:
    for table in ("audit.load_log", "audit.deliveries"):
        conn.execute(
            f"insert into {table} (load_id, file_name, status, loaded_at) values (?, ?, 'LOADED', now())",
            [load_id, f"kepesertaan_2024010{load_id}.csv"],
        )


def test_plan_follows_loads_and_project_changes(warehouse, tmp_path):
    import datetime as dt

    project = tmp_path / "dbt_project"
    shutil.copytree(ROOT / "dbt_project", project, ignore=shutil.ignore_patterns("target", "logs"))
    analytics = tmp_path / "analytics.duckdb"
    workbook = tmp_path / "exports" / "cakupan_marts.xlsx"
    workbook.parent.mkdir()
    workbook.touch()
    published = [analytics, workbook]
    _load(warehouse, 1)
    first = plan_build(warehouse, project, published)
    assert first.mode == "full"

    record_build(warehouse, first, dt.datetime(2024, 7, 1, 6))
    assert plan_build(warehouse, project, published).mode == "incremental"  # built, never published
    record_published(warehouse, dt.datetime(2024, 7, 1, 6, 1))
    analytics.touch()
    assert plan_build(warehouse, project, published).mode == "skip"
    analytics.unlink()
    assert plan_build(warehouse, project, published).mode == "incremental"  # the analyst copy is gone
    analytics.touch()
    workbook.unlink()
    assert plan_build(warehouse, project, published).mode == "incremental"  # an export is gone
    workbook.touch()

    _load(warehouse, 2)
    after_load = plan_build(warehouse, project, published)
    assert (after_load.mode, after_load.since_load_id) == ("incremental", 1)

    warehouse.execute(
        "insert into raw.angkatan_kerja values (2, 'kepesertaan_20240102.csv', '2024-01-02', 1, 2024, '8171', 'NELAYAN', 10)"
    )
    with_rows = plan_build(warehouse, project, published)
    assert with_rows.mode == "incremental"  # rows that came with a load
    record_build(warehouse, with_rows, dt.datetime(2024, 7, 2, 6))
    record_published(warehouse, dt.datetime(2024, 7, 2, 6, 1))
    assert plan_build(warehouse, project, published).mode == "skip"
    warehouse.execute("delete from raw.angkatan_kerja")
    assert plan_build(warehouse, project, published).mode == "full"  # raw rows changed by hand, no load
    warehouse.execute(
        "insert into raw.angkatan_kerja values (2, 'kepesertaan_20240102.csv', '2024-01-02', 1, 2024, '8171', 'NELAYAN', 10)"
    )

    from ingest.pseudonym_key import PseudonymKey, record_key

    record_key(warehouse, PseudonymKey(b"first", "test"), dt.datetime(2024, 7, 2, 5))  # the first pseudonyms' key
    assert plan_build(warehouse, project, published).mode == "skip"
    record_key(warehouse, PseudonymKey(b"second", "test"), dt.datetime(2024, 7, 2, 7), remade=True)
    assert plan_build(warehouse, project, published).mode == "full"  # every pseudonym remade under a new key
    record_build(warehouse, plan_build(warehouse, project, published), dt.datetime(2024, 7, 2, 8))
    record_published(warehouse, dt.datetime(2024, 7, 2, 8, 1))
    assert plan_build(warehouse, project, published).mode == "skip"

    # The first enrolment rows after builds that had none (budget and workforce files only): built whole.
    _load(warehouse, 3)
    warehouse.execute(
        "insert into raw.kepesertaan (load_id, file_name, extract_date, row_number, no_kpj, person_id, regency_code, "
        "segmen, sumber_iuran, membership_date, status, updated_at) values (3, 'kepesertaan_20240103.csv', "
        "'2024-01-03', 1, '00000000001', 1, '8171', 'BPU', 'MANDIRI', '2024-01-01', 'AKTIF', '2024-01-02 10:00')"
    )
    first_enrolment = plan_build(warehouse, project, published)
    assert first_enrolment.mode == "full" and "enrolment" in first_enrolment.reason
    record_build(warehouse, first_enrolment, dt.datetime(2024, 7, 3, 8))
    record_published(warehouse, dt.datetime(2024, 7, 3, 8, 1))
    _load(warehouse, 4)
    assert plan_build(warehouse, project, published).mode == "incremental"  # history to keep now

    seed = project / "seeds" / "occupation_sectors.csv"
    before = project_fingerprint(project)
    seed.write_text(seed.read_text() + "juru masak kapal,NELAYAN\n")
    assert project_fingerprint(project) != before
    assert plan_build(warehouse, project, published).mode == "full"
