"""A population of eight people, small enough that every mart number was worked out by hand.

The story (as_of = 2024-06-30, the date of the newest `kepesertaan` file):

- P1 Kota Ambon, "Kepala Desa" (→ PERANGKAT_DESA, rule 3), paid by APBD_PROV, registered 2 May.
- P2 holds two cards: K2 Ambon "Petani" (2023) and K3 Buru "nelayan" (1 Mar 2024): placed by the
  later TGL_KEPESERTAAN, so counted once, in Buru × NELAYAN.
- P3 registered 3 May, lapsed 20 June.
- P4's card has two versions with the same TGL_UPDATE (20 May 08:00): AKTIF in the May file,
  NONAKTIF in the June file. The later file wins: not covered, and no lapse (the AKTIF version lost
  the tie, so it was never the card's state: lapses follow states).
- P5 JAKON (→ JASA_KONSTRUKSI, rule 1) although "Tukang" is no classified occupation.
- P6 PU "Buruh Harian" (unmapped → PENERIMA_UPAH_LAINNYA, rule 4).
- P7 Buru, BPU "Ojek" paid by APBD_KAB (→ PEKERJA_RENTAN, rule 5), registered 5 June.
- P8 Ambon "Petani" MANDIRI (→ BPU_LAINNYA, rule 6); a NONAKTIF version dated 1 July 00:00 WIT
  lies after the end of as_of, so P8 is still covered at as_of.
- One row with a 15-digit NIK is refused; one budget row with negative money is refused.

Eligible workers 2024: Ambon × PERANGKAT_DESA 20, Ambon × BPU_LAINNYA 10, Buru × NELAYAN 5.
Target 2024: 0.55.
"""

import datetime as dt
from decimal import Decimal

import pytest

from tests.populations import BUDGET_JUNE, BUDGET_MARCH, HEADER, JUNE, MAY, WORKFORCE

pytestmark = pytest.mark.refresh  # runs the pipeline: `make test-fast` leaves it out


@pytest.fixture(scope="module", params=["duckdb_file", "lake"])
def refreshed(request, tmp_path_factory):
    """The population refreshed into a DuckDB file, and into a lake on a real PostgreSQL: the same numbers."""
    from tests.workspace import Workspace

    catalog = request.getfixturevalue("postgres").create_database("handmade") if request.param == "lake" else ""
    ws = Workspace(tmp_path_factory.mktemp(f"handmade_{request.param}"), lake_catalog=catalog)
    ws.activate()
    ws.land("kepesertaan_20240531.csv", "\n".join([HEADER, *MAY]) + "\n")
    ws.land("kepesertaan_20240630.csv", "\n".join([HEADER, *JUNE]) + "\n")
    ws.land("angkatan_kerja_2024.csv", WORKFORCE)
    ws.land("anggaran_20240331.csv", BUDGET_MARCH)
    ws.land("anggaran_20240630.csv", BUDGET_JUNE)
    ws.refresh()
    return ws


def by(rows: list[dict], *keys: str) -> dict:
    return {tuple(r[k] for k in keys) if len(keys) > 1 else r[keys[0]]: r for r in rows}


def test_province_line(refreshed):
    (province,) = refreshed.query("select * from marts.coverage_province")
    assert province["as_of"] == dt.date(2024, 6, 30)
    assert province["covered_workers"] == 6 == province["covered_workers_total"]
    assert province["eligible_workers"] == 35
    assert province["coverage_rate"] == pytest.approx(6 / 35)
    assert province["target_rate"] == pytest.approx(0.55)
    assert province["workers_to_target"] == 14  # ceil(0.55 × 35) = 20
    assert province["premium_to_target_idr"] == Decimal("2822400.00")


def test_every_person_lands_in_the_cell_worked_out_by_hand(refreshed):
    cells = by(refreshed.query("select * from marts.coverage_regency_sector"), "regency_code", "sector")
    assert len(cells) == 121
    covered = {key: row["covered_workers"] for key, row in cells.items() if row["covered_workers"]}
    assert covered == {
        ("8171", "PERANGKAT_DESA"): 1,  # P1
        ("8104", "NELAYAN"): 1,  # P2, by the later of two cards
        ("8171", "JASA_KONSTRUKSI"): 1,  # P5
        ("8171", "PENERIMA_UPAH_LAINNYA"): 1,  # P6
        ("8104", "PEKERJA_RENTAN"): 1,  # P7
        ("8171", "BPU_LAINNYA"): 1,  # P8
    }
    desa = cells[("8171", "PERANGKAT_DESA")]
    # 0.55 × 20 is exactly 11 (floating point would say 11.000000000000002 and ceil to 12).
    assert (desa["eligible_workers"], desa["workers_to_target"]) == (20, 10)
    assert desa["premium_to_target_idr"] == Decimal("2016000.00")
    assert cells[("8171", "BPU_LAINNYA")]["workers_to_target"] == 5  # ceil(5.5) − 1
    assert cells[("8104", "NELAYAN")]["workers_to_target"] == 2  # ceil(2.75) − 1
    no_count = cells[("8104", "PEKERJA_RENTAN")]
    assert no_count["eligible_workers"] is None
    assert no_count["coverage_rate"] is None and no_count["workers_to_target"] is None
    assert cells[("8171", "PERANGKAT_DESA")]["regency_name"] == "Kota Ambon"


def test_regencies_recompute_rates_from_sums(refreshed):
    regencies = by(refreshed.query("select * from marts.coverage_regency"), "regency_code")
    assert len(regencies) == 11
    ambon, buru = regencies["8171"], regencies["8104"]
    assert (ambon["eligible_workers"], ambon["covered_workers"], ambon["workers_to_target"]) == (30, 4, 13)
    assert (buru["eligible_workers"], buru["covered_workers"], buru["workers_to_target"]) == (5, 2, 1)
    assert buru["coverage_rate"] == pytest.approx(2 / 5)


def test_monthly_history(refreshed):
    rows = refreshed.query(
        "select month, sum(covered_workers) covered, sum(new_members) joined, sum(lapsed_memberships) lapsed "
        "from marts.coverage_monthly group by month order by month"
    )
    assert rows == [
        # end of May: P1 P2 P3 P5 P6 P8; new: P1 P3 P5; lapsed: none (P4's card was never AKTIF in a state)
        {"month": dt.date(2024, 5, 1), "covered": 6, "joined": 3, "lapsed": 0},
        # end of as_of: P3 lapsed, P7 joined; P8's 1 July version is not yet in force
        {"month": dt.date(2024, 6, 1), "covered": 6, "joined": 1, "lapsed": 1},
    ]
    june_new = refreshed.query(
        "select regency_code, sector from marts.coverage_monthly where month = '2024-06-01' and new_members > 0"
    )
    assert june_new == [{"regency_code": "8104", "sector": "PEKERJA_RENTAN"}]


def test_budget_lines_and_what_they_buy(refreshed):
    lines = by(refreshed.query("select * from marts.budget_realization"), "owner_code", "sector")
    assert set(lines) == {("81", "PERANGKAT_DESA"), ("8104", "PEKERJA_RENTAN")}
    province_line = lines[("81", "PERANGKAT_DESA")]
    # The June report supersedes March; the OPD keeps its first spelling.
    assert province_line["opd_name"] == "Dinas PMD"
    assert province_line["owner_name"] == "Pemerintah Provinsi Maluku"
    assert province_line["realisasi_idr"] == Decimal("1008000.00")
    assert province_line["realization_rate"] == pytest.approx(0.5)
    assert lines[("8104", "PEKERJA_RENTAN")]["owner_name"] == "Kabupaten Buru"

    coverage = by(refreshed.query("select * from marts.budget_coverage"), "owner_code", "sector")
    province = coverage[("81", "PERANGKAT_DESA")]
    assert (province["capacity_workers"], province["funded_covered_workers"]) == (10, 1)  # P1
    assert province["target_attainment"] == pytest.approx(0.1)
    assert province["cost_per_funded_worker_idr"] == Decimal("1008000.00")
    buru = coverage[("8104", "PEKERJA_RENTAN")]
    assert (buru["capacity_workers"], buru["funded_covered_workers"]) == (4, 1)  # floor(4.96); P7
    assert buru["cost_per_funded_worker_idr"] == Decimal("403200.00")


def test_unmapped_occupations(refreshed):
    rows = refreshed.query("select occupation, memberships from marts.unmapped_occupations order by frequency_rank")
    assert rows == [
        {"occupation": "PETANI", "memberships": 4},
        {"occupation": "BURUH HARIAN", "memberships": 1},
        {"occupation": "OJEK", "memberships": 1},
    ]


def test_load_log_and_refusals(refreshed):
    log = by(refreshed.query("select * from audit.load_log"), "file_name")
    assert {name: row["status"] for name, row in log.items()} == dict.fromkeys(
        [
            "anggaran_20240331.csv",
            "anggaran_20240630.csv",
            "angkatan_kerja_2024.csv",
            "kepesertaan_20240531.csv",
            "kepesertaan_20240630.csv",
        ],
        "LOADED",
    )
    june = log["kepesertaan_20240630.csv"]
    assert (june["rows_read"], june["rows_loaded"], june["rows_refused"]) == (5, 4, 1)
    refused = refreshed.query("select * from audit.refused_rows order by file_name")
    assert refused == [
        {
            "file_name": "anggaran_20240630.csv",
            "row_number": 3,
            "reason": "MONEY_INVALID",
            "column_name": "PAGU",
            "masked_value": "-1.000.000",
        },
        {
            "file_name": "kepesertaan_20240630.csv",
            "row_number": 5,
            "reason": "NIK_INVALID",
            "column_name": "NIK",
            "masked_value": "8171… (15)",
        },
    ]


def test_sectors_sum_over_regencies(refreshed):
    sectors = by(refreshed.query("select * from marts.coverage_sector"), "sector")
    assert len(sectors) == 11
    covered = {sector: row["covered_workers"] for sector, row in sectors.items() if row["covered_workers"]}
    assert covered == {
        "PERANGKAT_DESA": 1,
        "NELAYAN": 1,
        "JASA_KONSTRUKSI": 1,
        "PENERIMA_UPAH_LAINNYA": 1,
        "PEKERJA_RENTAN": 1,
        "BPU_LAINNYA": 1,
    }
    assert sectors["PERANGKAT_DESA"]["eligible_workers"] == 20
    assert sectors["PERANGKAT_DESA"]["sector_label"] == "Perangkat Desa"
    assert sectors["GURU"]["eligible_workers"] is None and sectors["GURU"]["workers_to_target"] is None


def test_projection_needs_three_months(refreshed):
    rows = by(refreshed.query("select * from marts.target_projection"), "regency_code")
    assert len(rows) == 12
    province, ambon = rows["81"], rows["8171"]
    assert province["regency_name"] == "Provinsi Maluku"
    assert province["coverage_rate"] == pytest.approx(6 / 35) and ambon["coverage_rate"] == pytest.approx(4 / 30)
    assert (ambon["months_fitted"], ambon["projected_year_end_rate"], ambon["on_track"]) == (2, None, None)
    assert ambon["workers_to_target"] == 13 and province["workers_to_target"] == 14


def test_dbt_docs_generate_offline(refreshed, tmp_path):
    from tests.workspace import run_dbt

    done = run_dbt(refreshed.warehouse, tmp_path, "docs", "generate", "--static")
    assert done.returncode == 0, done.stdout[-2000:]
    page = (tmp_path / "static_index.html").read_text()
    assert "coverage_regency_sector" in page and "workers_to_target" in page


@pytest.mark.parametrize("refreshed", ["duckdb_file"], indirect=True)  # the models' logic: one backend is enough
def test_dbt_unit_tests_pass(refreshed, tmp_path):
    """The dbt unit tests (the models' logic on hand-written rows) run here, not in every daily build."""
    import json

    from tests.workspace import ROOT, run_dbt

    done = run_dbt(refreshed.warehouse, tmp_path, "test", "--select", "test_type:unit")
    results = json.loads((tmp_path / "run_results.json").read_text())["results"]
    failed = [r["unique_id"] for r in results if r["status"] != "pass"]
    assert done.returncode == 0 and not failed, failed or done.stdout[-2000:]
    declared = json.loads((ROOT / "dbt_project" / "target" / "manifest.json").read_text())["unit_tests"]
    assert {r["unique_id"] for r in results} == set(declared)
