-- The whole province in one row. covered_workers_total counts every covered person directly;
-- it equals the sum of the cells because the placement rule puts each person in exactly one.
with cells as (

    select * from {{ ref('coverage_regency_sector') }}

),

target as (

    select * from {{ ref('int_coverage_target') }}

),

province as (

    select
        sum(eligible_workers) as eligible_workers,
        sum(covered_workers) as covered_workers,
    from cells

),

covered_people as (

    select count(distinct person_id) as covered_workers_total
    from {{ ref('int_person_placements') }}
    where {{ is_as_of_month() }}

)

select
    target.as_of,
    '{{ var("province_code") }}' as province_code,
    cast(province.eligible_workers as bigint) as eligible_workers,
    cast(province.covered_workers as bigint) as covered_workers,
    {{ coverage_measures('province.eligible_workers', 'province.covered_workers', 'target.target_rate') }}
    cast(covered_people.covered_workers_total as bigint) as covered_workers_total,
from province
cross join covered_people
cross join target
