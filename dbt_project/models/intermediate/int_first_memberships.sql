-- Each person's earliest membership (marts.md, new_members): the card with the earliest TGL_KEPESERTAAN
-- (ties: the larger NO_KPJ) among the memberships they hold, each as its current state says. Nothing here
-- depends on as_of: which month the person counts in, and where, the marts read at their points.
-- Incremental, as int_person_spells: the touched people's rows are written again, their earlier ones forgotten.
-- The incremental branch and its post-hook read the touched people:
-- depends_on: {{ ref('int_touched_people') }}
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
        and person_id in (select person_id from {{ ref('int_touched_people') }})
    {% endif %}

),

-- "Earliest TGL_KEPESERTAAN, then the larger NO_KPJ" as one integer: the date's days above 37 bits, the card
-- counted down below them (a card number has at most 11 digits, fewer than 2^37). arg_min on an integer in a
-- hash aggregation costs a fraction of arg_min on a struct, and much less than a window's sort by person.
earliest as (

    select
        person_id,
        arg_min(no_kpj, (membership_date - date '1970-01-01') * 137438953472 + (137438953471 - no_kpj)) as no_kpj,
        min(membership_date) as membership_date,
    from current_states
    group by person_id

)

select
    person_id,
    no_kpj,
    membership_date,
    {{ build_stamp() }} as built_at,
from earliest
