-- marts.md: as_of is the latest date among the loaded `kepesertaan` files' names;
-- "the end of as_of" is its last moment in WIT, i.e. everything strictly before the next day.
with loaded_enrolment as (

    select max(extract_date) as as_of
    from {{ ref('stg_load_log') }}
    where
        source = 'kepesertaan'
        and status = 'LOADED'

)

select
    as_of,
    cast(as_of + interval 1 day as timestamp) as as_of_end,
    cast(year(as_of) as integer) as year,
from loaded_enrolment
