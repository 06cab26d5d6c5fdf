-- Month × regency × sector, from the month of the earliest TGL_UPDATE (at most 24 months back) to
-- the month of as_of: people covered at the month's last moment (the end of as_of for its month),
-- new members, lapsed memberships, and the month's year's eligible workers.
with points as (

    select * from {{ ref('int_coverage_points') }}

),

regencies as (

    select regency_code, regency_name from {{ ref('stg_regencies') }}

),

sectors as (

    select sector from {{ ref('sectors') }}

),

-- Covered people per cell at each point, from the spells as a daily difference array: +1 on the day a spell
-- starts, −1 on the day it ends, summed over the days before the point. Every point is a midnight, so a spell
-- holds at a point exactly when it started on an earlier day and did not end on an earlier day
-- (macros/is_valid_at.sql). One pass over the spells, however many months are shown.
spell_changes as (

    select regency_code, sector, cast(valid_from as date) as changed_on, count(*) as covered_change
    from {{ ref('int_person_spells') }}
    group by regency_code, sector, cast(valid_from as date)

    union all

    select regency_code, sector, cast(valid_to as date) as changed_on, -count(*) as covered_change
    from {{ ref('int_person_spells') }}
    where valid_to is not null
    group by regency_code, sector, cast(valid_to as date)

),

covered as (

    select
        points.month,
        spell_changes.regency_code,
        spell_changes.sector,
        sum(spell_changes.covered_change) as covered_workers,
    from points
    inner join spell_changes
        on spell_changes.changed_on < cast(points.point_end as date)
    group by points.month, spell_changes.regency_code, spell_changes.sector

),

new_members as (

    select month, regency_code, sector, count(*) as new_members
    from {{ ref('int_new_members') }}
    group by month, regency_code, sector

),

-- Lapses dated in a month, up to its point (the end of as_of for its month).
lapses as (

    select points.month, lapses.regency_code, lapses.sector, count(*) as lapsed_memberships
    from points
    inner join {{ ref('int_lapses') }} as lapses
        on lapses.lapsed_at >= points.month_start
        and lapses.lapsed_at < points.point_end
    group by points.month, lapses.regency_code, lapses.sector

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
