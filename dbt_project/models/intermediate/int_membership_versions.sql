-- Every version of every membership, placed in a sector (sectors.md) and given its validity interval:
-- a version is a membership's state from its TGL_UPDATE until the next version's.
-- Incremental: a refresh recomputes only the memberships new loads touched, all their versions again
-- (a late version renumbers the ones after it). They are forgotten first rather than replaced by key,
-- because a membership a revision withdrew whole has no versions left to replace its old ones.
-- The incremental branch reads these too (macros/incremental_scope/):
-- depends_on: {{ source('raw', 'kepesertaan') }}, {{ source('raw', 'kepesertaan_withdrawn') }},
-- {{ source('audit', 'builds') }}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{% if is_incremental() %}delete from {{ this }} where no_kpj in ({{ touched_memberships() }}){% endif %}",
) }}

with versions as (

    select * from {{ ref('stg_kepesertaan') }}
    {% if is_incremental() %}
    where no_kpj in ({{ touched_memberships() }})
    {% endif %}

),

occupations as (

    select * from {{ ref('stg_occupation_sectors') }}

),

placed as (

    select
        versions.*,
        case
            when versions.segmen = 'JAKON' then 1
            when versions.segmen = 'PMI' then 2
            when occupations.sector is not null then 3
            when versions.segmen = 'PU' then 4
            when versions.sumber_iuran in ('APBD_PROV', 'APBD_KAB', 'APBDES', 'CSR') then 5
            else 6
        end as placement_rule,
        occupations.sector as occupation_sector,
    from versions
    left join occupations
        on occupations.occupation_normalised = versions.occupation_normalised

)

select
    * exclude (occupation_sector),
    case placement_rule
        when 1 then 'JASA_KONSTRUKSI'
        when 2 then 'PEKERJA_MIGRAN'
        when 3 then occupation_sector
        when 4 then 'PENERIMA_UPAH_LAINNYA'
        when 5 then 'PEKERJA_RENTAN'
        else 'BPU_LAINNYA'
    end as sector,
    updated_at as valid_from,
    -- Tied versions get an empty interval [t, t): only the last of a tie is ever the state.
    lead(updated_at) over (partition by no_kpj order by version_number) as valid_to,
    lag(status) over (partition by no_kpj order by version_number) as previous_status,
from placed
