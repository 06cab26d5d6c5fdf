{{ config(meta={'dagster': {'ref': {'name': 'coverage_province'}}}) }}
-- marts.md: every breakdown sums to the province, and the placement rule puts each covered person in exactly one
-- cell, so the cells' covered workers equal covered_workers_total, counted apart by distinct person. One row per
-- breakdown and measure that does not reconcile, with both totals.
with province as (

    select * from {{ ref('coverage_province') }}

),

breakdown_totals as (

    select
        'coverage_regency_sector' as breakdown,
        sum(covered_workers) as covered_workers,
        sum(eligible_workers) as eligible_workers,
    from {{ ref('coverage_regency_sector') }}

    union all

    select
        'coverage_regency' as breakdown,
        sum(covered_workers) as covered_workers,
        sum(eligible_workers) as eligible_workers,
    from {{ ref('coverage_regency') }}

    union all

    select
        'coverage_sector' as breakdown,
        sum(covered_workers) as covered_workers,
        sum(eligible_workers) as eligible_workers,
    from {{ ref('coverage_sector') }}

    union all

    select 'coverage_province' as breakdown, covered_workers, eligible_workers
    from province

)

select
    breakdown_totals.breakdown,
    breakdown_totals.covered_workers,
    province.covered_workers_total,
    breakdown_totals.eligible_workers,
    province.eligible_workers as province_eligible_workers,
from breakdown_totals
cross join province
where
    breakdown_totals.covered_workers is distinct from province.covered_workers_total
    or breakdown_totals.eligible_workers is distinct from province.eligible_workers
