-- The moments coverage is measured at: each month's last moment, from the month of the earliest
-- TGL_UPDATE (at most 24 months before as_of) to the month of as_of, whose point is the end of as_of.
-- (The earliest TGL_UPDATE is a state's: of versions tied on it, one is a state.)
with as_of as (

    select * from {{ ref('int_as_of') }}

),

bounds as (

    select
        as_of.as_of,
        as_of.as_of_end,
        cast(date_trunc('month', as_of.as_of) as date) as last_month,
        cast(greatest(
            date_trunc('month', (select min(states.valid_from) from {{ ref('int_membership_versions') }} as states)),
            date_trunc('month', as_of.as_of) - interval ({{ var('monthly_history_months') }}) month
        ) as date) as first_month,
    from as_of
    where as_of.as_of is not null

),

months as (

    select
        cast(unnest(generate_series(
            cast(least(first_month, last_month) as timestamp),
            cast(last_month as timestamp),
            interval 1 month
        )) as date) as month,
        last_month,
        as_of_end,
    from bounds

)

select
    month,
    cast(month as timestamp) as month_start,
    case
        when month = last_month then as_of_end
        else cast(month + interval 1 month as timestamp)
    end as point_end,
    month = last_month as is_as_of,
from months
