-- sectors.md, "A person's place", as history: one row per person per maximal period in which they are covered
-- and placed alike, [valid_from, valid_to) with valid_to null while it lasts. Covered: at least one of their
-- memberships' states is AKTIF; placed by the AKTIF membership with the latest TGL_KEPESERTAAN (ties: the
-- larger NO_KPJ), in that state's regency and sector, paid by its payer. The period's boundaries are every
-- AKTIF state's, so a move of regency, sector or payer inside a covered period starts a new spell. A spell
-- holds at a moment exactly when the person is covered there in that place (macros/is_valid_at.sql), so the
-- marts count a point's people from the spells that hold at it; nothing here depends on as_of.
-- Incremental: the spells of the people new loads touched (macros/incremental_scope/touched_people.sql) are
-- written again and their earlier ones forgotten after (post-hook); the rest of history is not read.
-- The incremental branch and its post-hook read the touched people:
-- depends_on: {{ ref('int_touched_people') }}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    post_hook="{% if is_incremental() %}{{ forget_superseded_people(this) }}{% endif %}",
) }}

-- Read three times below: a full build scans history for each (a few columns of it) rather than keeping a copy
-- of all of it; an incremental build keeps its touched people's few rows once.
with active_states as {% if not is_incremental() %}not {% endif %}materialized (

    select
        person_id,
        no_kpj,
        valid_from,
        valid_to,
        membership_date,
        regency_code,
        sector,
        sumber_iuran,
    from {{ ref('int_membership_versions') }}
    where status = 'AKTIF'
    {% if is_incremental() %}
        and person_id in (select person_id from {{ ref('int_touched_people') }})
    {% endif %}

),

-- Most people hold one AKTIF state in all their history: it is their one spell as it stands. Only the others
-- need their periods cut and placed.
several_state_people as (

    select person_id
    from active_states
    group by person_id
    having count(*) > 1

),

single_states as (

    select active_states.*
    from active_states
    -- Everyone else: a join whose hash table holds the few, not the many.
    anti join several_state_people
        on several_state_people.person_id = active_states.person_id

),

several_states as (

    select active_states.*
    from active_states
    semi join several_state_people
        on several_state_people.person_id = active_states.person_id

),

boundaries as (

    select person_id, valid_from as boundary from several_states
    union
    select person_id, valid_to as boundary
    from several_states
    where valid_to is not null

),

-- The periods between consecutive boundaries: within one, the same states hold throughout.
pieces as (

    select
        person_id,
        boundary as piece_from,
        lead(boundary) over (partition by person_id order by boundary) as piece_to,
    from boundaries

),

-- Each piece some AKTIF state holds through, placed by arg_max (a hash aggregation, not a sort). A piece no
-- state holds is a gap: the person is not covered then.
placed_pieces as (

    select
        pieces.person_id,
        pieces.piece_from,
        any_value(pieces.piece_to) as piece_to,
        arg_max(
            {
                'no_kpj': several_states.no_kpj,
                'regency_code': several_states.regency_code,
                'sector': several_states.sector,
                'sumber_iuran': several_states.sumber_iuran
            },
            (several_states.membership_date, several_states.no_kpj)
        ) as placement,
    from pieces
    inner join several_states
        on several_states.person_id = pieces.person_id
        and several_states.valid_from <= pieces.piece_from
        and (several_states.valid_to is null or several_states.valid_to > pieces.piece_from)
    group by pieces.person_id, pieces.piece_from

),

-- A piece starts a spell unless it continues the previous one: no gap, the same placement.
spell_starts as (

    select
        *,
        case
            when
                lag(piece_to) over by_time = piece_from
                and lag(placement) over by_time = placement
                then 0
            else 1
        end as starts_spell,
    from placed_pieces
    window by_time as (partition by person_id order by piece_from)

),

numbered_pieces as (

    select
        *,
        sum(starts_spell) over (partition by person_id order by piece_from rows unbounded preceding) as spell_number,
    from spell_starts

),

merged_spells as (

    select
        person_id,
        min(piece_from) as valid_from,
        -- The last piece's end: null when the spell lasts (arg_max would skip a null end).
        arg_max_null(piece_to, piece_from) as valid_to,
        any_value(placement) as placement,
    from numbered_pieces
    group by person_id, spell_number

),

spells as (

    select person_id, valid_from, valid_to, no_kpj, regency_code, sector, sumber_iuran
    from single_states

    union all

    select
        person_id,
        valid_from,
        valid_to,
        struct_extract(placement, 'no_kpj') as no_kpj,
        struct_extract(placement, 'regency_code') as regency_code,
        struct_extract(placement, 'sector') as sector,
        struct_extract(placement, 'sumber_iuran') as sumber_iuran,
    from merged_spells

)

select
    *,
    {{ build_stamp() }} as built_at,
from spells
