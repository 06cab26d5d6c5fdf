-- The coverage target for the year of as_of (null when the seed has no row for that year).
select
    as_of.as_of,
    as_of.year,
    targets.target_rate,
from {{ ref('int_as_of') }} as as_of
left join {{ ref('coverage_targets') }} as targets
    on targets.year = as_of.year
