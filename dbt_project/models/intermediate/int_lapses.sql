-- Lapses (marts.md, lapsed_memberships): a membership's state going from AKTIF to NONAKTIF, one row per
-- NONAKTIF state that follows an AKTIF one, dated by its TGL_UPDATE, in its regency and sector. States, not
-- versions: a NONAKTIF version that loses a tie to an AKTIF one is never a state, and lapses nothing.
-- Incremental, as int_membership_versions: the touched memberships' rows are written again.
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
    valid_from as lapsed_at,
    regency_code,
    sector,
    {{ build_stamp() }} as built_at,
from {{ ref('int_membership_versions') }}
where
    status = 'NONAKTIF'
    and previous_status = 'AKTIF'
{% if is_incremental() %}
    and no_kpj in ({{ touched_memberships() }})
{% endif %}
