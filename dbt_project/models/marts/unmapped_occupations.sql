-- Occupations the classification does not know yet (memberships placed by rules 4–6 in their state
-- at as_of), ranked by frequency (a set: readers order by frequency_rank), so analysts can extend the
-- occupation_sectors seed.
with memberships as (

    select occupations.*
    from {{ ref('int_unclassified_occupations') }} as occupations
    inner join {{ ref('int_as_of') }} as as_of
        on {{ is_valid_at('occupations', 'as_of.as_of_end') }}

)

select
    occupation_normalised as occupation,
    count(*) as memberships,
    cast(row_number() over (order by count(*) desc, occupation_normalised) as integer) as frequency_rank,
from memberships
group by occupation_normalised
