-- People whose earliest TGL_KEPESERTAAN falls in a coverage month, in the regency and sector of that membership
-- at the month's point (or, if it had no state by then, its first state). A view: the months move with as_of,
-- and history (int_first_memberships) does not.
{{ config(materialized='view') }}

with points as (

    select * from {{ ref('int_coverage_points') }}

),

joined_in_a_coverage_month as (

    select
        points.month,
        points.point_end,
        first_memberships.person_id,
        first_memberships.no_kpj,
    from {{ ref('int_first_memberships') }} as first_memberships
    inner join points
        on points.month = cast(date_trunc('month', first_memberships.membership_date) as date)

),

-- A membership's states follow one another without gaps, so the state valid at the point is the latest one
-- that began before it (macros/is_valid_at.sql); where none had, the first. One join to the membership's states
-- and a pick by arg_max (a hash aggregation), not two joins to every state in history.
placed as (

    select
        joined.month,
        joined.person_id,
        arg_max(
            {
                'regency_code': states.regency_code,
                'sector': states.sector
            },
            (
                states.valid_from < joined.point_end,
                if(states.valid_from < joined.point_end, states.state_number, -states.state_number)
            )
        ) as placement,
    from joined_in_a_coverage_month as joined
    inner join {{ ref('int_membership_versions') }} as states
        on states.no_kpj = joined.no_kpj
    group by joined.month, joined.person_id

)

select
    month,
    person_id,
    struct_extract(placement, 'regency_code') as regency_code,
    struct_extract(placement, 'sector') as sector,
from placed
