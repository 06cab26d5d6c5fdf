-- Month × regency × sector, from the month of the earliest TGL_UPDATE (at most 24 months back) to
-- the month of as_of: people covered at the month's last moment (the end of as_of for its month),
-- new members, lapsed memberships, and the month's year's eligible workers.
with points as (

    select * from {{ ref('int_coverage_points') }}

),

regencies as (

    select regency_code, regency_name from {{ ref('regencies') }}

),

sectors as (

    select sector from {{ ref('sectors') }}

),

covered as (

    select month, regency_code, sector, count(*) as covered_workers
    from {{ ref('int_person_placements') }}
    group by month, regency_code, sector

),

new_members as (

    select month, regency_code, sector, count(*) as new_members
    from {{ ref('int_new_members') }}
    group by month, regency_code, sector

),

lapses as (

    select month, regency_code, sector, count(*) as lapsed_memberships
    from {{ ref('int_lapses') }}
    group by month, regency_code, sector

),

eligible as (

    select * from {{ ref('int_eligible_workers') }}

),

cells as (

    select
        points.month,
        regencies.regency_code,
        regencies.regency_name,
        sectors.sector,
        coalesce(covered.covered_workers, 0) as covered_workers,
        coalesce(new_members.new_members, 0) as new_members,
        coalesce(lapses.lapsed_memberships, 0) as lapsed_memberships,
        eligible.eligible_workers,
    from points
    cross join regencies
    cross join sectors
    left join covered
        on covered.month = points.month
        and covered.regency_code = regencies.regency_code
        and covered.sector = sectors.sector
    left join new_members
        on new_members.month = points.month
        and new_members.regency_code = regencies.regency_code
        and new_members.sector = sectors.sector
    left join lapses
        on lapses.month = points.month
        and lapses.regency_code = regencies.regency_code
        and lapses.sector = sectors.sector
    left join eligible
        on eligible.year = year(points.month)
        and eligible.regency_code = regencies.regency_code
        and eligible.sector = sectors.sector

)

select
    month,
    regency_code,
    regency_name,
    sector,
    cast(covered_workers as bigint) as covered_workers,
    cast(new_members as bigint) as new_members,
    cast(lapsed_memberships as bigint) as lapsed_memberships,
    eligible_workers,
    {{ rate('covered_workers', 'eligible_workers') }} as coverage_rate,
from cells
