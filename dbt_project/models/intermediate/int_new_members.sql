-- People whose earliest TGL_KEPESERTAAN falls in a coverage month, in the regency and sector of that membership
-- at the month's point (or, if it had no state by then, its first state). A view: the months move with as_of,
-- and history (int_first_memberships) does not.
{{ config(materialized='view') }}

with points as (

    select * from {{ ref('int_coverage_points') }}

),

-- Read twice below: not materialised (a copy of every state would cost more than two scans).
states as not materialized (

    select no_kpj, state_number, valid_from, valid_to, regency_code, sector
    from {{ ref('int_membership_versions') }}

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

)

select
    joined.month,
    joined.person_id,
    coalesce(state_at_point.regency_code, first_state.regency_code) as regency_code,
    coalesce(state_at_point.sector, first_state.sector) as sector,
from joined_in_a_coverage_month as joined
left join states as state_at_point
    on state_at_point.no_kpj = joined.no_kpj
    and {{ is_valid_at('state_at_point', 'joined.point_end') }}
left join states as first_state
    on first_state.no_kpj = joined.no_kpj
    and first_state.state_number = 1
