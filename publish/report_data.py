"""What the coverage report shows, read from the tables the analyst database holds (when publishing, from the
warehouse in the same hold of its lock as the analyst database's copy: the same tables): the marts, the audit
tables and the reference seeds, never the history tables, so the report's cost does not grow with the
memberships."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import duckdb

# The province's code and name and the premium of a year's cover are the dbt project's (marts.coverage_province),
# the monthly series its marts' (marts.coverage_monthly_regency): the report restates no rule of its own.
# A budget line paying less than this share of the premium per funded worker cannot be buying a year of cover
# for each (too cheap to be real coverage); more than the upper share buys fewer workers than it should.
COST_TOO_CHEAP = 0.75
COST_TOO_DEAR = 1.25

Rows = list[dict[str, Any]]


def rows(conn: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> Rows:
    cursor = conn.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@dataclass
class ReportData:
    as_of: dt.date | None
    built_at: dt.datetime
    refreshed_since: dt.datetime | None
    province: dict[str, Any] | None
    province_name: str
    annual_premium_idr: float
    previous_month_rate: float | None
    regencies: Rows
    cells: Rows
    sectors: Rows
    trend: Rows
    projections: Rows
    budget_lines: Rows
    owners: Rows
    files: Rows
    refusals: Rows
    unmapped: Rows


# Sector labels and their order come from the reference seed, so no sector code ever reaches the page.
_SECTORS = "select sector, label as sector_label, sort_order from reference.sectors"

_CELLS = f"""
select cells.regency_code, cells.regency_name, cells.sector, sectors.sector_label, sectors.sort_order,
       cells.eligible_workers, cells.covered_workers, cells.coverage_rate, cells.target_rate,
       cells.workers_to_target, cells.premium_to_target_idr
from marts.coverage_regency_sector as cells join ({_SECTORS}) as sectors using (sector)
order by cells.regency_code, sectors.sort_order"""

_SECTOR_TOTALS = f"""
select totals.sector, sectors.sector_label, sectors.sort_order, totals.eligible_workers, totals.covered_workers,
       totals.coverage_rate, totals.target_rate, totals.workers_to_target, totals.premium_to_target_idr
from marts.coverage_sector as totals join ({_SECTORS}) as sectors using (sector)
order by sectors.sort_order"""

# Month-end coverage of the province and of each regency, as the marts sum it.
_TREND = """
select month, regency_code as area_code, regency_name as area_name, covered_workers, eligible_workers, coverage_rate
from marts.coverage_monthly_regency order by area_code, month"""

_BUDGET_LINES = f"""
select budget.fiscal_year, budget.owner_code, budget.owner_name, budget.sector, sectors.sector_label,
       budget.targeted_workers, budget.pagu_idr, budget.realisasi_idr, budget.funded_covered_workers,
       budget.cost_per_funded_worker_idr
from marts.budget_coverage as budget join ({_SECTORS}) as sectors using (sector)
order by budget.fiscal_year, budget.owner_code, sectors.sort_order"""

_OWNERS = """
select fiscal_year, owner_code, any_value(owner_name) as owner_name, sum(pagu_idr) as pagu_idr,
       sum(realisasi_idr) as realisasi_idr, sum(realisasi_idr) / nullif(sum(pagu_idr), 0) as realization_rate
from marts.budget_realization group by fiscal_year, owner_code order by fiscal_year, owner_code"""

_FILES = """
select file_name, source, status, rows_read, rows_loaded, rows_refused, loaded_at
from audit.load_log order by loaded_at, file_name"""

_REFUSALS = """
select reason, count(*) as refused_rows, count(distinct file_name) as files
from audit.refused_rows group by reason order by refused_rows desc, reason"""


def read_report_data(
    conn: duckdb.DuckDBPyConnection, built_at: dt.datetime, refreshed_since: dt.datetime | None = None
) -> ReportData:
    province = next(iter(rows(conn, "select * from marts.coverage_province")), None)
    if province is None:  # a build always makes its one row (dbt's row_count test)
        raise ValueError("marts.coverage_province has no row: the report takes the province and the premium from it")
    trend = rows(conn, _TREND)
    province_months = [p for p in trend if p["area_code"] == province["province_code"]]
    previous = province_months[-2]["coverage_rate"] if len(province_months) >= 2 else None
    return ReportData(
        as_of=province["as_of"],
        built_at=built_at,
        refreshed_since=refreshed_since,
        province=province,
        province_name=province["province_name"],
        annual_premium_idr=float(province["annual_premium_idr"]),
        previous_month_rate=previous,
        regencies=rows(conn, "select * from marts.coverage_regency order by regency_code"),
        cells=rows(conn, _CELLS),
        sectors=rows(conn, _SECTOR_TOTALS),
        trend=trend,
        projections=rows(conn, "select * from marts.target_projection order by regency_code"),
        budget_lines=rows(conn, _BUDGET_LINES),
        owners=rows(conn, _OWNERS),
        files=rows(conn, _FILES),
        refusals=rows(conn, _REFUSALS),
        unmapped=rows(conn, "select occupation, memberships from marts.unmapped_occupations order by frequency_rank"),
    )
