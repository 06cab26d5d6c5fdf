-- marts.md: as_of is the latest date among the loaded `kepesertaan` files' names, with its year's target;
-- "the end of as_of" is its last moment in WIT, i.e. everything strictly before the next day.
with loaded_enrolment as (

    select max(extract_date) as as_of
    from {{ ref('stg_load_log') }}
    where
        source = 'kepesertaan'
        and status = 'LOADED'

)

select
    loaded_enrolment.as_of,
    cast(loaded_enrolment.as_of + interval 1 day as timestamp) as as_of_end,
    cast(year(loaded_enrolment.as_of) as integer) as year,
    -- The year's coverage target (decimal, so that ceil(target × eligible) is exact); null without a seed row.
    targets.target_rate,
from loaded_enrolment
left join {{ ref('coverage_targets') }} as targets
    on targets.year = year(loaded_enrolment.as_of)
