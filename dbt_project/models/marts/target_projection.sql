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

    select
        regency_code,
        regr_count(coverage_rate, month_number) as months_fitted,
        regr_intercept(coverage_rate, month_number) + 12 * regr_slope(coverage_rate, month_number) as fitted_december_rate,
    from monthly_rates
    group by regency_code

),

now as (

    select as_of, regency_code, regency_name, coverage_rate, target_rate, workers_to_target
    from {{ ref('coverage_regency') }}

    union all

    select
        as_of,
        province_code as regency_code,
        'Provinsi Maluku' as regency_name,
        coverage_rate,
        target_rate,
        workers_to_target,
    from {{ ref('coverage_province') }}

),

projected as (

    select
        now.*,
        fits.months_fitted,
        case when fits.months_fitted >= 3 then fits.fitted_december_rate end as projected_year_end_rate,
    from now
    left join fits using (regency_code)

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
order by regency_code
