-- The regency × sector measures summed over sectors; rates and gaps recomputed from the sums.
with cells as (

    select * from {{ ref('coverage_regency_sector') }}

),

target as (

    select * from {{ ref('int_as_of') }}

),

regencies as (

    select
        regency_code,
        any_value(regency_name) as regency_name,
        sum(eligible_workers) as eligible_workers,
        sum(covered_workers) as covered_workers,
    from cells
    group by regency_code

)

select
    target.as_of,
    regencies.regency_code,
    regencies.regency_name,
    cast(regencies.eligible_workers as bigint) as eligible_workers,
    cast(regencies.covered_workers as bigint) as covered_workers,
    {{ coverage_measures('regencies.eligible_workers', 'regencies.covered_workers', 'target.target_rate') }}
from regencies
cross join target
