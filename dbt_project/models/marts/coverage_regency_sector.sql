-- Every regency × sector (121 rows, zero-filled): people covered at the end of as_of against the
-- year's eligible workers and target.
with target as (

    select * from {{ ref('int_as_of') }}

),

regencies as (

    select regency_code, regency_name from {{ ref('stg_regencies') }}

),

sectors as (

    select sector, label as sector_label from {{ ref('sectors') }}

),

eligible as (

    select eligible.*
    from {{ ref('int_eligible_workers') }} as eligible
    inner join target on target.year = eligible.year

),

-- Spells do not overlap, so the spells that hold at the end of as_of are its covered people, each once.
covered as (

    select spells.regency_code, spells.sector, count(*) as covered_workers
    from {{ ref('int_person_spells') }} as spells
    inner join {{ ref('int_as_of') }} as as_of
        on {{ is_valid_at('spells', 'as_of.as_of_end') }}
    group by spells.regency_code, spells.sector

),

cells as (

    select
        target.as_of,
        regencies.regency_code,
        regencies.regency_name,
        sectors.sector,
        sectors.sector_label,
        eligible.eligible_workers,
        coalesce(covered.covered_workers, 0) as covered_workers,
        target.target_rate,
    from regencies
    cross join sectors
    cross join target
    left join eligible
        on eligible.regency_code = regencies.regency_code
        and eligible.sector = sectors.sector
    left join covered
        on covered.regency_code = regencies.regency_code
        and covered.sector = sectors.sector

)

select
    as_of,
    regency_code,
    regency_name,
    sector,
    sector_label,
    eligible_workers,
    covered_workers,
    {{ coverage_measures('eligible_workers', 'covered_workers', 'target_rate') }}
from cells
