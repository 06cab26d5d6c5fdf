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

-- The file order of the enrolment files, as a small integer: versions are ordered by it (extracts.md: the
-- date in the name, then the name), and a window that sorts millions of rows is much cheaper on an integer
-- than on the file's name. Every version of a touched membership is renumbered together, so the ranks need
-- only be consistent within a build.
with enrolment_files as (

    select
        load_id,
        cast(row_number() over (order by extract_date, file_name) as integer) as file_rank,
    from {{ ref('stg_load_log') }}
    where source = 'kepesertaan' and status = 'LOADED'

),

-- Read three times below (spellings, revisions, and the versions themselves). A full build reads it as scans of
-- raw rather than a copy of all of it; an incremental build keeps the touched memberships' few rows once rather
-- than scanning all of raw three times for them.
versions as {% if not is_incremental() %}not {% endif %}materialized (

    select * from {{ ref('stg_kepesertaan') }}
    {% if is_incremental() %}
    where no_kpj in ({{ touched_memberships() }})
    {% endif %}

),

-- sectors.md rule 3 matches on the normalised text: each distinct spelling is normalised and classified once,
-- and versions carry the spelling's number, not its text, through the sorts below.
distinct_occupations as (

    select distinct occupation
    from versions
    where occupation is not null

),

spellings as (

    select
        occupation,
        cast(row_number() over (order by occupation) as integer) as occupation_id,
        {{ normalise_occupation('occupation') }} as occupation_normalised,
    from distinct_occupations

),

classified_spellings as (

    select
        spellings.occupation_id,
        spellings.occupation_normalised,
        classification.sector as occupation_sector,
    from spellings
    left join {{ ref('stg_occupation_sectors') }} as classification
        on classification.occupation_normalised = spellings.occupation_normalised

),

-- Only what the states need goes through the windows: a window's cost grows with the width of its rows. Kept
-- once: the revised memberships' versions and the others' are read from it.
keyed_versions as materialized (

    select
        versions.no_kpj,
        versions.updated_at,
        enrolment_files.file_rank,
        versions.row_number,
        versions.person_id,
        versions.status,
        versions.membership_date,
        versions.regency_code,
        versions.segmen,
        versions.sumber_iuran,
        spellings.occupation_id,
    from versions
    inner join enrolment_files
        on enrolment_files.load_id = versions.load_id
    left join spellings
        on spellings.occupation = versions.occupation

),

-- Most memberships have one version in all their history (a first extract holds one per card): that version is
-- their one state, holding from its TGL_UPDATE on, with no state before it. Finding them is a hash aggregation
-- of one column; only the others go through the sort below. (Counted before the enrolment files are joined: a
-- card with a version in a withdrawn file is sorted too, which gives the same states.)
revised_memberships as (

    select no_kpj
    from versions
    group by no_kpj
    having count(*) > 1

),

revised_versions as (

    select keyed_versions.*
    from keyed_versions
    semi join revised_memberships
        on revised_memberships.no_kpj = keyed_versions.no_kpj

),

-- A membership's one version: its one state.
single_states as (

    select
        keyed_versions.*,
        cast(null as timestamp) as next_updated_at,
        keyed_versions.person_id as holder_id,
        cast(1 as integer) as state_number,
        cast(null as varchar) as previous_status,
    from keyed_versions
    anti join revised_memberships
        on revised_memberships.no_kpj = keyed_versions.no_kpj

),

-- Version order (extracts.md), in one sort: the next version's TGL_UPDATE shows whether this one loses a tie;
-- a state's number counts the distinct TGL_UPDATEs up to it; the state before it is the latest version with an
-- earlier TGL_UPDATE (the frame leaves out this TGL_UPDATE's tie; the struct compares in version order). Both
-- orderings start with the same columns, so DuckDB sorts the rows once for all four.
ordered as (

    select
        *,
        lead(updated_at) over by_version as next_updated_at,
        last_value(person_id) over (
            by_version rows between unbounded preceding and unbounded following
        ) as holder_id,
        cast(dense_rank() over by_time as integer) as state_number,
        max(
            {
                'updated_at': updated_at,
                'file_rank': file_rank,
                'row_number': row_number,
                'status': status
            }
        ) over (
            by_time range between unbounded preceding and current row exclude group
        ).status as previous_status,
    from revised_versions
    window
        by_version as (partition by no_kpj order by updated_at, file_rank, row_number),
        by_time as (partition by no_kpj order by updated_at)

    union all by name

    select * from single_states

),

numbered_states as (

    select * exclude (file_rank, row_number, person_id)
    from ordered
    where next_updated_at is null or next_updated_at > updated_at

),

placed as (

    select
        numbered_states.*,
        classified_spellings.occupation_normalised,
        classified_spellings.occupation_sector,
        case
            when numbered_states.segmen = 'JAKON' then 1
            when numbered_states.segmen = 'PMI' then 2
            when classified_spellings.occupation_sector is not null then 3
            when numbered_states.segmen = 'PU' then 4
            when numbered_states.sumber_iuran in ('APBD_PROV', 'APBD_KAB', 'APBDES', 'CSR') then 5
            else 6
        end as placement_rule,
    from numbered_states
    left join classified_spellings
        on classified_spellings.occupation_id = numbered_states.occupation_id

)

select
    no_kpj,
    state_number,
    holder_id as person_id,
    updated_at as valid_from,
    -- The next state's TGL_UPDATE (the next version's: a state is the last of its tie).
    next_updated_at as valid_to,
    status,
    previous_status,
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
