{{ config(meta={'dagster': {'ref': {'name': 'coverage_monthly'}}}) }}
-- marts.md: the monthly series ends at the end of as_of, so its last month equals the current marts, cell by cell.
with last_month as (

    select * from {{ ref('coverage_monthly') }}
    qualify month = max(month) over ()

),

current_cells as (

    select * from {{ ref('coverage_regency_sector') }}

)

select
    current_cells.regency_code,
    current_cells.sector,
    current_cells.covered_workers,
    last_month.covered_workers as monthly,
from current_cells
left join last_month
    on last_month.regency_code = current_cells.regency_code
    and last_month.sector = current_cells.sector
where
    current_cells.as_of is not null
    and coalesce(last_month.covered_workers, 0) <> current_cells.covered_workers
