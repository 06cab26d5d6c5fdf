"""Running it like production: exports an office can open, a reader that keeps working while the pipeline
refreshes, and no publishing from a failed build (the report in a browser: tests/test_report.py)."""

import datetime as dt
import subprocess
import sys
import textwrap
import time

import duckdb
import openpyxl
import pytest

from publish.exports import WORKBOOK_NAME
from tests import populations as handmade
from tests.marts import MART_NAMES
from tests.populations import HOSTILE_BUDGET, HOSTILE_MEMBER, HOSTILE_OPD, SQL_LOOKING_FILE
from tests.workspace import Workspace

pytestmark = pytest.mark.refresh  # runs the pipeline: `make test-fast` leaves it out


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    ws = Workspace(tmp_path_factory.mktemp("operations"))
    ws.activate()
    ws.land("kepesertaan_20240531.csv", "\n".join([handmade.HEADER, *handmade.MAY]) + "\n")
    ws.land("kepesertaan_20240630.csv", "\n".join([handmade.HEADER, *handmade.JUNE]) + "\n")
    ws.land("angkatan_kerja_2024.csv", handmade.WORKFORCE)
    ws.land("anggaran_20240630.csv", handmade.BUDGET_JUNE)
    ws.land("anggaran_20240701_opd.csv", HOSTILE_BUDGET)
    ws.land(SQL_LOOKING_FILE, handmade.BUDGET_MARCH)
    ws.land("kepesertaan_20240630_lain.csv", "\n".join([handmade.HEADER, HOSTILE_MEMBER]) + "\n")
    ws.refresh()
    return ws


def test_one_parquet_file_per_mart(refreshed):
    for mart in MART_NAMES:
        path = refreshed.export_dir / f"{mart}.parquet"
        (exported,) = duckdb.sql(f"select count(*) from read_parquet('{path}')").fetchone()
        assert exported == refreshed.query(f"select count(*) n from marts.{mart}")[0]["n"], mart


def test_the_workbook_opens_with_typed_cells_a_frozen_header_and_no_formulas(refreshed):
    workbook = openpyxl.load_workbook(refreshed.export_dir / WORKBOOK_NAME)
    assert workbook.sheetnames == list(MART_NAMES)
    province = workbook["coverage_province"]
    assert province.freeze_panes == "A3"
    labels = [c.value for c in province[1]]
    names = [c.value for c in province[2]]
    assert labels[names.index("covered_workers")] == "Pekerja terlindungi"
    values = dict(zip(names, province[3], strict=True))
    assert (values["covered_workers"].value, values["covered_workers"].data_type) == (6, "n")
    assert values["coverage_rate"].data_type == "n" and values["coverage_rate"].value == pytest.approx(6 / 35)
    assert values["as_of"].is_date and values["as_of"].value.date() == dt.date(2024, 6, 30)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    opd_column = [c.value for c in workbook["budget_realization"][2]].index("opd_name") + 1
    opds = {
        workbook["budget_realization"].cell(r, opd_column).value
        for r in range(3, workbook["budget_realization"].max_row + 1)
    }
    assert set(HOSTILE_OPD) <= opds  # kept as the text they are, never run
    assert max(len(o) for o in opds if o) == 32_767  # the long name cut to what a cell holds, not an error
    occupations = {row[0].value for row in workbook["unmapped_occupations"].iter_rows(min_row=3)}
    assert "CMD C CALC A0" in occupations  # normalised as sectors.md says: the formula characters are gone


def test_sql_looking_file_names_are_only_names(refreshed):
    log = refreshed.query("select file_name, status from audit.load_log order by file_name")
    assert {"file_name": SQL_LOOKING_FILE, "status": "LOADED"} in log
    assert len(log) == 7
    assert refreshed.query("select count(*) n from raw.kepesertaan", "warehouse") == [
        {"n": len(handmade.MAY) + len(handmade.JUNE)}
    ]


READER = textwrap.dedent("""
    import os, sys, time, duckdb
    path, seconds = sys.argv[1], float(sys.argv[2])
    stop = sys.argv[3] if len(sys.argv) > 3 else None
    conn = duckdb.connect(path, read_only=True)
    queries, errors, deadline = 0, 0, time.monotonic() + seconds
    while time.monotonic() < deadline and not (stop and os.path.exists(stop)):
        try:
            conn.execute("select sum(covered_workers) from marts.coverage_regency_sector").fetchone()
            queries += 1
        except Exception as e:
            errors += 1
            print("error", type(e).__name__, flush=True)
        time.sleep(0.05)
    print("queries", queries, "errors", errors, flush=True)
""")


def test_a_reader_holding_the_analyst_database_keeps_working_during_a_refresh(refreshed):
    before = refreshed.query("select count(*) n from audit.load_log")[0]["n"]
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(refreshed.analytics_db), "25"], stdout=subprocess.PIPE, text=True
    )
    time.sleep(2)
    refreshed.land("anggaran_20240715.csv", handmade.BUDGET_MARCH)
    result = refreshed.refresh()
    out, _ = reader.communicate(timeout=120)
    assert result.success
    # Each table dbt built is materialised with its row count (read in dbt's database as it is written).
    cells = result.asset_materializations_for_node("cakupan_dbt_models")
    metadata = {m.asset_key.to_user_string(): m.metadata for m in cells}
    assert metadata["marts/coverage_regency_sector"]["dagster/row_count"].value == 121
    assert "covered of" in metadata["marts/coverage_province"]["province"].value
    assert reader.returncode == 0 and "errors 0" in out, out
    assert int(out.split()[1]) > 20
    assert refreshed.query("select count(*) n from audit.load_log")[0]["n"] == before + 1  # the next open sees it


def test_a_reader_holding_the_analyst_database_through_three_refreshes(refreshed):
    stop = refreshed.root / "reader.stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(refreshed.analytics_db), "900", str(stop)], stdout=subprocess.PIPE, text=True
    )
    time.sleep(2)
    for day in ("20240801", "20240802", "20240803"):
        refreshed.land(f"anggaran_{day}.csv", handmade.BUDGET_MARCH.replace("500.000", day[-3:] + ".000"))
        assert refreshed.refresh().success
    stop.touch()
    out, _ = reader.communicate(timeout=60)
    assert reader.returncode == 0 and "errors 0" in out, out
    assert int(out.split()[1]) > 100
    assert refreshed.query("select count(*) n from audit.load_log where file_name like 'anggaran_2024080%'") == [
        {"n": 3}
    ]


def test_a_failing_check_prevents_publishing(refreshed):
    published = refreshed.analytics_db.read_bytes()
    exported = (refreshed.export_dir / WORKBOOK_NAME).stat().st_mtime_ns
    with duckdb.connect(str(refreshed.warehouse)) as conn:
        # A person placed in a regency that does not exist: the cells no longer sum to the province.
        conn.execute("""
            insert into raw.kepesertaan
            select * replace ('9999' as regency_code, 0 as person_id, '99999999999' as no_kpj)
            from raw.kepesertaan where status = 'AKTIF' limit 1
        """)
    result = refreshed.refresh(raise_on_error=False)
    assert not result.success
    failed_checks = [
        e
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION" and not e.event_specific_data.passed
    ]
    assert failed_checks
    assert refreshed.analytics_db.read_bytes() == published
    assert (refreshed.export_dir / WORKBOOK_NAME).stat().st_mtime_ns == exported
