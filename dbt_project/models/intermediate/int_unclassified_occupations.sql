-- The states placed by sectors.md rules 4–6 that carry an occupation: what marts.unmapped_occupations counts
-- at as_of, so that analysts can grow the classification. Incremental, as int_membership_versions.
-- The incremental branch reads these too (macros/incremental_scope/):
-- depends_on: {{ source('raw', 'kepesertaan') }}, {{ source('raw', 'kepesertaan_withdrawn') }},
-- {{ source('audit', 'builds') }}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{% if is_incremental() %}{{ forget_touched_memberships(this) }}{% endif %}",
) }}

select
    no_kpj,
    valid_from,
    valid_to,
    occupation_normalised,
    {{ build_stamp() }} as built_at,
from {{ ref('int_membership_versions') }}
where
    placement_rule in (4, 5, 6)
    and occupation_normalised is not null
{% if is_incremental() %}
    and no_kpj in ({{ touched_memberships() }})
{% endif %}
