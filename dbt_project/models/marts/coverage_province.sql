-- The whole province in one row. covered_workers_total counts every covered person directly;
-- it equals the sum of the cells because the placement rule puts each person in exactly one.
with cells as (

    select * from {{ ref('coverage_regency_sector') }}

),

target as (

    select * from {{ ref('int_as_of') }}

),

province as (

    select
        sum(eligible_workers) as eligible_workers,
        sum(covered_workers) as covered_workers,
    from cells

),

-- Counted apart from the cells, by distinct person: were a person's spells to overlap, the two would differ
-- (tests/breakdowns_sum_to_the_province.sql).
covered_people as (

    select count(distinct spells.person_id) as covered_workers_total
    from {{ ref('int_person_spells') }} as spells
    inner join {{ ref('int_as_of') }} as as_of
        on {{ is_valid_at('spells', 'as_of.as_of_end') }}

)

select
    target.as_of,
    '{{ var("province_code") }}' as province_code,
    cast(province.eligible_workers as bigint) as eligible_workers,
    cast(province.covered_workers as bigint) as covered_workers,
    {{ coverage_measures('province.eligible_workers', 'province.covered_workers', 'target.target_rate') }}
    cast(covered_people.covered_workers_total as bigint) as covered_workers_total,
    '{{ var("province_name") }}' as province_name,
    {{ premium_idr(1) }} as annual_premium_idr,
    target.target_basis,
from province
cross join covered_people
cross join target
