-- The regency × sector measures summed over regencies; rates and gaps recomputed from the sums.
with cells as (

    select * from {{ ref('coverage_regency_sector') }}

),

target as (

    select * from {{ ref('int_as_of') }}

),

sectors as (

    select
        sector,
        any_value(sector_label) as sector_label,
        sum(eligible_workers) as eligible_workers,
        sum(covered_workers) as covered_workers,
    from cells
    group by sector

)

select
    target.as_of,
    sectors.sector,
    sectors.sector_label,
    cast(sectors.eligible_workers as bigint) as eligible_workers,
    cast(sectors.covered_workers as bigint) as covered_workers,
    {{ coverage_measures('sectors.eligible_workers', 'sectors.covered_workers', 'target.target_rate') }}
from sectors
cross join target
