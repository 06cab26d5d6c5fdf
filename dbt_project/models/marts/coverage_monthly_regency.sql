-- The monthly series of each regency and of the province ('81'): coverage_monthly summed over sectors (and over
-- regencies for the province), rates recomputed from the sums, never averaged. What the report draws.
with monthly as (

    select * from {{ ref('coverage_monthly') }}

),

areas as (

    select
        month,
        regency_code,
        any_value(regency_name) as regency_name,
        sum(covered_workers) as covered_workers,
        sum(new_members) as new_members,
        sum(lapsed_memberships) as lapsed_memberships,
        sum(eligible_workers) as eligible_workers,
    from monthly
    group by month, regency_code

    union all

    select
        month,
        '{{ var("province_code") }}' as regency_code,
        '{{ var("province_name") }}' as regency_name,
        sum(covered_workers) as covered_workers,
        sum(new_members) as new_members,
        sum(lapsed_memberships) as lapsed_memberships,
        sum(eligible_workers) as eligible_workers,
    from monthly
    group by month

)

select
    month,
    regency_code,
    regency_name,
    cast(covered_workers as bigint) as covered_workers,
    cast(new_members as bigint) as new_members,
    cast(lapsed_memberships as bigint) as lapsed_memberships,
    cast(eligible_workers as bigint) as eligible_workers,
    {{ rate('covered_workers', 'eligible_workers') }} as coverage_rate,
from areas
