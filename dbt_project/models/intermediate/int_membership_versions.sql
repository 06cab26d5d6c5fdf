-- The states of every membership: of its versions, the ones that are ever its state (extracts.md: the latest
-- TGL_UPDATE; of versions tied on it, the later file by the date in its name, then the file name, then the later
-- row), each placed in a sector (sectors.md) and valid from its TGL_UPDATE until the next state's. A version that
-- loses a tie is never a state, so it is not here: no lapse, no place, no occupation comes from it.
-- A membership belongs to the person of its current state's NIK for its whole history (extracts.md): every row
-- carries the holder of the latest state.
-- Incremental: a refresh recomputes the memberships new loads touched, from all their versions (a late version
-- can change any state), numbered below the touched-membership filter; the rest of history is not read.
-- The incremental branch reads these too (macros/incremental_scope/):
-- depends_on: {{ source('raw', 'kepesertaan') }}, {{ source('raw', 'kepesertaan_withdrawn') }},
-- {{ source('audit', 'builds') }}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{% if is_incremental() %}{{ forget_touched_memberships(this) }}{% endif %}",
) }}

with versions as (

    select * from {{ ref('stg_kepesertaan') }}
    {% if is_incremental() %}
    where no_kpj in ({{ touched_memberships() }})
    {% endif %}

),

-- sectors.md rule 3 matches on the normalised text: each distinct spelling normalised once, not once per row.
spellings as (

    select distinct occupation
    from versions
    where occupation is not null

),

occupations as (

    select
        occupation,
        {{ normalise_occupation('occupation') }} as occupation_normalised,
    from spellings

),

classified_occupations as (

    select
        occupations.occupation,
        occupations.occupation_normalised,
        classification.sector,
    from occupations
    left join {{ ref('stg_occupation_sectors') }} as classification
        on classification.occupation_normalised = occupations.occupation_normalised

),

-- Version order (extracts.md); the next version's TGL_UPDATE shows whether this one loses a tie.
ordered as (

    select
        versions.*,
        lead(versions.updated_at) over by_version as next_updated_at,
        last_value(versions.person_id) over (
            by_version rows between unbounded preceding and unbounded following
        ) as holder_id,
    from versions
    window by_version as (
        partition by versions.no_kpj
        order by versions.updated_at, versions.extract_date, versions.file_name, versions.row_number
    )

),

states as (

    select * from ordered
    where next_updated_at is null or next_updated_at > updated_at

),

placed as (

    select
        states.*,
        classified_occupations.occupation_normalised,
        case
            when states.segmen = 'JAKON' then 1
            when states.segmen = 'PMI' then 2
            when classified_occupations.sector is not null then 3
            when states.segmen = 'PU' then 4
            when states.sumber_iuran in ('APBD_PROV', 'APBD_KAB', 'APBDES', 'CSR') then 5
            else 6
        end as placement_rule,
        classified_occupations.sector as occupation_sector,
    from states
    left join classified_occupations
        on classified_occupations.occupation = states.occupation

)

select
    no_kpj,
    cast(row_number() over by_state as integer) as state_number,
    holder_id as person_id,
    updated_at as valid_from,
    -- The next state's TGL_UPDATE (the next version's: a state is the last of its tie).
    next_updated_at as valid_to,
    status,
    lag(status) over by_state as previous_status,
    membership_date,
    regency_code,
    case placement_rule
        when 1 then 'JASA_KONSTRUKSI'
        when 2 then 'PEKERJA_MIGRAN'
        when 3 then occupation_sector
        when 4 then 'PENERIMA_UPAH_LAINNYA'
        when 5 then 'PEKERJA_RENTAN'
        else 'BPU_LAINNYA'
    end as sector,
    sumber_iuran,
    placement_rule,
    occupation_normalised,
    {{ build_stamp() }} as built_at,
from placed
window by_state as (partition by no_kpj order by updated_at)
