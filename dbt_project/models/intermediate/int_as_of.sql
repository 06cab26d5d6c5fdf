-- marts.md: as_of is the latest date among the loaded `kepesertaan` files' names, with its year's target;
-- "the end of as_of" is its last moment in the province's local time, i.e. everything strictly before the next day.
with loaded_enrolment as (

    select max(extract_date) as as_of
    from {{ ref('stg_load_log') }}
    where
        source = 'kepesertaan'
        and status = 'LOADED'

),

province_targets as (

    select year, target_rate
    from {{ ref('coverage_targets') }}
    where province_code = '{{ var("province_code") }}'

),

-- A province that has published no target at all is measured against the configured one.
configured_target as (

    select cast({{ var('configured_target_rate') }} as decimal(6, 4)) as target_rate
    where not exists (select 1 from province_targets)

)

select
    loaded_enrolment.as_of,
    cast(loaded_enrolment.as_of + interval 1 day as timestamp) as as_of_end,
    cast(year(loaded_enrolment.as_of) as integer) as year,
    -- The year's coverage target (decimal, so that ceil(target × eligible) is exact); null without a seed row
    -- for a province that has published others.
    coalesce(province_targets.target_rate, configured_target.target_rate) as target_rate,
    case
        when province_targets.target_rate is not null then 'published'
        when configured_target.target_rate is not null then 'configured'
    end as target_basis,
from loaded_enrolment
left join province_targets
    on province_targets.year = year(loaded_enrolment.as_of)
left join configured_target
    on true
