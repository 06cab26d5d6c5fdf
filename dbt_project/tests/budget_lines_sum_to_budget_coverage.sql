{{ config(meta={'dagster': {'ref': {'name': 'budget_coverage'}}}) }}
-- budget_coverage is budget_realization summed over OPDs: every key's money and targets reconcile.
with summed as (

    select
        fiscal_year,
        owner_code,
        sector,
        sum(targeted_workers) as targeted_workers,
        sum(pagu_idr) as pagu_idr,
        sum(realisasi_idr) as realisasi_idr,
    from {{ ref('budget_realization') }}
    group by all

)

-- The key (merged by `using`) and both sides' figures.
select *  -- noqa: RF02
from summed
full outer join {{ ref('budget_coverage') }} as coverage
    using (fiscal_year, owner_code, sector)
where
    summed.targeted_workers is distinct from coverage.targeted_workers
    or summed.pagu_idr is distinct from coverage.pagu_idr
    or summed.realisasi_idr is distinct from coverage.realisasi_idr
