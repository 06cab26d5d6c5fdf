-- The people an incremental build writes the per-person history of again (macros/incremental_scope/touched_people.sql),
-- computed once for int_person_spells and int_first_memberships, their inserts and their post-hooks. A full
-- build rewrites everyone and reads none of it: then it is empty.
-- depends_on: {{ source('raw', 'kepesertaan') }}, {{ source('raw', 'kepesertaan_withdrawn') }},
-- {{ source('audit', 'builds') }}
{{ config(materialized='table') }}

with touched as (

    {{ touched_people() }}

)

select person_id
from touched
where
    person_id is not null
{% if flags.FULL_REFRESH %}
    and false
{% endif %}
