-- Each person's earliest membership (marts.md, new_members): the card with the earliest TGL_KEPESERTAAN
-- (ties: the larger NO_KPJ) among the memberships they hold, each as its current state says. Nothing here
-- depends on as_of: which month the person counts in, and where, the marts read at their points.
-- Incremental, as int_person_spells: the touched people's rows are written again, their earlier ones forgotten.
-- The incremental branch reads these too (macros/incremental_scope/):
-- depends_on: {{ source('raw', 'kepesertaan') }}, {{ source('raw', 'kepesertaan_withdrawn') }},
-- {{ source('audit', 'builds') }}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    post_hook="{% if is_incremental() %}{{ forget_superseded_people(this) }}{% endif %}",
) }}

with current_states as (

    select person_id, no_kpj, membership_date
    from {{ ref('int_membership_versions') }}
    -- A membership's latest state is the one that never ends.
    where valid_to is null
    {% if is_incremental() %}
        and person_id in ({{ touched_people(this) }})
    {% endif %}

),

-- arg_min in a hash aggregation, not a window's sort by person.
earliest as (

    select
        person_id,
        arg_min({ 'no_kpj': no_kpj, 'membership_date': membership_date }, (membership_date, -no_kpj)) as membership,
    from current_states
    group by person_id

)

select
    person_id,
    struct_extract(membership, 'no_kpj') as no_kpj,
    struct_extract(membership, 'membership_date') as membership_date,
    {{ build_stamp() }} as built_at,
from earliest
