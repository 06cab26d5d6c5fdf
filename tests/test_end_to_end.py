"""`daily_refresh` on a generated population: the marts equal the generator's own truth, every breakdown
reconciles, every file's rows are accounted for, and a second refresh changes nothing. Maluku here; other provinces
(Jawa Timur, Kalimantan Utara) against their own truth in tests/test_lake.py, as partitions on a lake, and
against a refresh of each alone into a DuckDB file."""

import datetime as dt

import duckdb
import pytest

from common.province import province as common_province
from synthetic import generate
from tests.marts import MART_NAMES
from tests.workspace import Workspace

pytestmark = pytest.mark.refresh  # runs the pipeline: `make test-fast` leaves it out

MART_NAMES = MART_NAMES


def snapshot(ws: Workspace) -> dict:
    return {mart: ws.query(f"select * from marts.{mart} order by all") for mart in MART_NAMES}


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    ws = Workspace(tmp_path_factory.mktemp("generated"))
    ws.activate()
    expected = generate(ws.landing, people=3000, seed=11)
    ws.refresh(report=True)  # publishing whole, as the schedule does: the second refresh has nothing to do
    first = snapshot(ws)
    first_log = ws.query("select * from audit.load_log order by file_name")
    analytics_inode = ws.analytics_db.stat().st_ino
    ws.refresh(report=True)
    return ws, expected, first, first_log, analytics_inode


def test_province_equals_the_generators_truth(refreshed):
    ws, expected, *_ = refreshed
    (province,) = ws.query("select * from marts.coverage_province")
    assert province["as_of"] == dt.date.fromisoformat(expected["as_of"])
    assert province["covered_workers"] == expected["province"]["covered_workers"]
    assert province["eligible_workers"] == expected["province"]["eligible_workers"]
    assert 0.3 < province["coverage_rate"] < 0.5
    assert (province["province_code"], province["province_name"]) == ("81", "Provinsi Maluku")
    assert (province["target_basis"], province["target_rate"]) == ("published", 0.55)  # Maluku's own, for 2024


def test_every_cell_equals_the_generators_truth(refreshed):
    ws, expected, *_ = refreshed
    actual = {
        (r["regency_code"], r["sector"]): (r["covered_workers"], r["eligible_workers"])
        for r in ws.query("select * from marts.coverage_regency_sector")
    }
    truth = {(c["regency_code"], c["sector"]): (c["covered_workers"], c["eligible_workers"]) for c in expected["cells"]}
    assert actual == truth


def test_breakdowns_sum_to_the_province(refreshed):
    ws, *_ = refreshed
    (province,) = ws.query(
        "select covered_workers, covered_workers_total, eligible_workers from marts.coverage_province"
    )
    for mart in ("coverage_regency_sector", "coverage_regency", "coverage_sector"):
        (sums,) = ws.query(f"select sum(covered_workers) c, sum(eligible_workers) e from marts.{mart}")
        assert (sums["c"], sums["e"]) == (province["covered_workers"], province["eligible_workers"]), mart
    assert province["covered_workers"] == province["covered_workers_total"]
    assert len(ws.query("select * from marts.coverage_regency_sector")) == 121


def test_every_row_of_every_file_is_accounted_for(refreshed):
    ws, expected, *_ = refreshed
    log = {r["file_name"]: r for r in ws.query("select * from audit.load_log")}
    assert set(log) == set(expected["files"])
    for name, row in log.items():
        truth = expected["files"][name]
        if truth["source"] is None:
            assert row["status"] == "IGNORED", name
            continue
        assert row["status"] == "LOADED", (name, row["message"])
        assert row["rows_read"] == row["rows_loaded"] + row["rows_refused"], name
        assert (row["rows_read"], row["rows_refused"]) == (truth["rows_read"], truth["rows_refused"]), name
    refused = {
        (r["file_name"], r["row_number"], r["reason"], r["column_name"])
        for r in ws.query("select * from audit.refused_rows")
    }
    assert refused == {(r["file_name"], r["row_number"], r["reason"], r["column_name"]) for r in expected["refused"]}


def test_the_analyst_database_opens_read_only(refreshed):
    ws, *_ = refreshed
    with duckdb.connect(str(ws.analytics_db), read_only=True) as conn:
        tables = {f"{s}.{t}" for s, t in conn.execute("select schema_name, table_name from duckdb_tables()").fetchall()}
    assert {f"marts.{m}" for m in MART_NAMES} | {"audit.load_log", "audit.refused_rows"} <= tables


def test_a_second_refresh_with_no_new_files_changes_nothing(refreshed):
    ws, _, first, first_log, analytics_inode = refreshed
    assert snapshot(ws) == first
    assert ws.query("select * from audit.load_log order by file_name") == first_log
    assert ws.analytics_db.stat().st_ino == analytics_inode  # nothing new: not rebuilt, not republished


def test_monthly_covered_equals_the_generators_month_ends(refreshed):
    ws, expected, *_ = refreshed
    actual = {
        (r["month"].isoformat(), r["regency_code"]): r["covered"]
        for r in ws.query(
            "select month, regency_code, sum(covered_workers) covered from marts.coverage_monthly group by all"
        )
    }
    for month in expected["monthly"]:
        for regency, covered in month["by_regency"].items():
            assert actual[(month["month"], regency)] == covered, (month["month"], regency)


def test_budget_marts_equal_the_generators_truth(refreshed):
    ws, expected, *_ = refreshed
    columns = [
        "fiscal_year",
        "owner_code",
        "sector",
        "targeted_workers",
        "pagu_idr",
        "realisasi_idr",
        "capacity_workers",
        "funded_covered_workers",
    ]
    actual = ws.query(f"select {', '.join(columns)} from marts.budget_coverage order by all")
    truth = sorted(tuple(line[c] for c in columns) for line in expected["budget_coverage"])
    assert [tuple(row.values()) for row in actual] == truth
    lines = ws.query(
        "select fiscal_year, owner_code, lower(opd_name) opd, sector, realisasi_idr from marts.budget_realization order by all"
    )
    assert [tuple(r.values()) for r in lines] == sorted(
        (b["fiscal_year"], b["owner_code"], b["opd_name"].lower(), b["sector"], b["realisasi_idr"])
        for b in expected["budget_lines"]
    )


def test_unmapped_occupations_equal_the_generators_truth(refreshed):
    ws, expected, *_ = refreshed
    actual = ws.query(
        "select occupation, memberships from marts.unmapped_occupations order by memberships desc, occupation"
    )
    truth = sorted(expected["unmapped_occupations"], key=lambda r: (-r["memberships"], r["occupation"]))
    assert actual == truth


def test_the_report_draws_maluku_on_its_map(refreshed):
    ws, *_ = refreshed
    page = (ws.export_dir / "coverage_report.html").read_text(encoding="utf-8")
    assert "Cakupan Jaminan Sosial Ketenagakerjaan Provinsi Maluku" in page
    assert '"peta"' in page and "Peta tidak digambar" not in page  # the project ships Maluku's boundaries


def test_times_are_the_provinces_local_time(refreshed):
    ws, *_ = refreshed
    # Every file was loaded a moment ago, on Maluku's clock (WIT, UTC+9), naive.
    now = dt.datetime.now(common_province("81").zone).replace(tzinfo=None)
    for row in ws.query("select loaded_at from audit.load_log"):
        assert dt.timedelta(0) <= now - row["loaded_at"] < dt.timedelta(minutes=30)
