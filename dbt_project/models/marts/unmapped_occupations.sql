-- Occupations the classification does not know yet (memberships placed by rules 4–6 in their state
-- at as_of), ranked by frequency (a set: readers order by frequency_rank), so analysts can extend the
-- occupation_sectors seed.
with memberships as (

    select versions.*
    from {{ ref('int_membership_states') }} as states
    inner join {{ ref('int_membership_versions') }} as versions
        on versions.no_kpj = states.no_kpj
        and versions.version_number = states.version_number
    where
        {{ is_as_of_month('states.month') }}
        and versions.placement_rule in (4, 5, 6)
        and versions.occupation_normalised is not null

)

select
    occupation_normalised as occupation,
    count(*) as memberships,
    cast(row_number() over (order by count(*) desc, occupation_normalised) as integer) as frequency_rank,
from memberships
group by occupation_normalised
