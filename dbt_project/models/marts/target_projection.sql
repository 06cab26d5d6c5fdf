-- Will each regency (and the province, '81') reach the year's target by December? Ordinary least
-- squares of month-end coverage rate on month number over the months of the year up to as_of,
-- evaluated at month 12; null with fewer than 3 months.
with as_of as (

    select * from {{ ref('int_as_of') }}

),

monthly as (

    select monthly.*
    from {{ ref('coverage_monthly') }} as monthly
    inner join as_of on year(monthly.month) = as_of.year

),

monthly_rates as (

    select
        regency_code,
        month(month) as month_number,
        {{ rate('sum(covered_workers)', 'sum(eligible_workers)') }} as coverage_rate,
    from monthly
    group by regency_code, month(month)

    union all

    select
        '{{ var("province_code") }}' as regency_code,
        month(month) as month_number,
        {{ rate('sum(covered_workers)', 'sum(eligible_workers)') }} as coverage_rate,
    from monthly
    group by month(month)

),

fits as (

    -- Least squares from exact decimal sums: DuckDB's regr_* aggregates add doubles in whatever
    -- order its threads finish, which changes the last digits from one refresh to the next.
    select
        regency_code,
        count(rate) as months_fitted,
        count(rate) * sum(month_number * rate)
        - sum(case when rate is not null then month_number end) * sum(rate) as slope_numerator,
        count(rate) * sum(case when rate is not null then month_number * month_number end)
        - sum(case when rate is not null then month_number end)
        * sum(case when rate is not null then month_number end) as slope_denominator,
        sum(rate) as rate_sum,
        sum(case when rate is not null then month_number end) as month_sum,
    from (
        select regency_code, month_number, cast(coverage_rate as decimal(38, 18)) as rate
        from monthly_rates
    ) as exact_rates
    group by regency_code

),

fitted as (

    select
        regency_code,
        months_fitted,
        case
            when months_fitted >= 3 and slope_denominator <> 0
                then cast(slope_numerator as double) / slope_denominator
        end as slope,
        rate_sum,
        month_sum,
    from fits

),

projections as (

    select
        regency_code,
        months_fitted,
        (cast(rate_sum as double) - slope * month_sum) / months_fitted + 12 * slope as fitted_december_rate,
    from fitted

),

now as (

    select as_of, regency_code, regency_name, coverage_rate, target_rate, workers_to_target
    from {{ ref('coverage_regency') }}

    union all

    select
        as_of,
        province_code as regency_code,
        '{{ var("province_name") }}' as regency_name,
        coverage_rate,
        target_rate,
        workers_to_target,
    from {{ ref('coverage_province') }}

),

projected as (

    select
        now.*,
        projections.months_fitted,
        case when projections.months_fitted >= 3 then projections.fitted_december_rate end as projected_year_end_rate,
    from now
    left join projections using (regency_code)

)

select
    as_of,
    regency_code,
    regency_name,
    coverage_rate,
    target_rate,
    projected_year_end_rate,
    projected_year_end_rate >= target_rate as on_track,
    workers_to_target,
    cast(coalesce(months_fitted, 0) as integer) as months_fitted,
from projected
