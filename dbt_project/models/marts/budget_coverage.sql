-- Money summed over OPDs per (year, owner, sector), beside the people it pays for: those covered at
-- as_of, placed in the sector, whose placing membership this owner pays (APBD_PROV for the province;
-- APBD_KAB or APBDES in the owner's own regency).
with lines as (

    select * from {{ ref('budget_realization') }}

),

placements as (

    select spells.*
    from {{ ref('int_person_spells') }} as spells
    inner join {{ ref('int_as_of') }} as as_of
        on {{ is_valid_at('spells', 'as_of.as_of_end') }}

),

budgets as (

    select
        fiscal_year,
        owner_code,
        any_value(owner_name) as owner_name,
        sector,
        sum(targeted_workers) as targeted_workers,
        sum(pagu_idr) as pagu_idr,
        sum(realisasi_idr) as realisasi_idr,
    from lines
    group by fiscal_year, owner_code, sector

),

funded as (

    select
        case
            when sumber_iuran = 'APBD_PROV' then '{{ var("province_code") }}'
            else regency_code
        end as owner_code,
        sector,
        count(*) as funded_covered_workers,
    from placements
    where sumber_iuran in ('APBD_PROV', 'APBD_KAB', 'APBDES')
    group by all

)

select
    budgets.fiscal_year,
    budgets.owner_code,
    budgets.owner_name,
    budgets.sector,
    cast(budgets.targeted_workers as bigint) as targeted_workers,
    cast(budgets.pagu_idr as decimal(18, 2)) as pagu_idr,
    cast(budgets.realisasi_idr as decimal(18, 2)) as realisasi_idr,
    -- floor(pagu / premium) in integers: pagu is positive, so flooring it first changes nothing.
    cast(cast(floor(budgets.pagu_idr) as hugeint) // {{ var("annual_premium_idr") }} as bigint) as capacity_workers,
    cast(coalesce(funded.funded_covered_workers, 0) as bigint) as funded_covered_workers,
    {{ rate('coalesce(funded.funded_covered_workers, 0)', 'budgets.targeted_workers') }} as target_attainment,
    {{ money_per_head('budgets.realisasi_idr', 'coalesce(funded.funded_covered_workers, 0)') }}
        as cost_per_funded_worker_idr,
from budgets
left join funded
    on funded.owner_code = budgets.owner_code
    and funded.sector = budgets.sector
