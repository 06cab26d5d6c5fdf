-- sectors.md, "A person's place": at each coverage point, a person with at least one AKTIF membership
-- is covered once, in the regency and sector of the AKTIF membership with the latest TGL_KEPESERTAAN
-- (ties: the larger NO_KPJ).
-- Incremental, as int_membership_states: everyone at new or moved points, the people new loads touched
-- at the points kept.
-- The incremental branch reads these too (macros/incremental_scope.sql):
-- depends_on: {{ source('raw', 'kepesertaan') }}, {{ ref('int_membership_versions') }}, {{ ref('int_coverage_points') }}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{% if is_incremental() %}{{ forget_stale_points(this, 'person_id', touched_people()) }}{% endif %}",
) }}

with active as (

    select * from {{ ref('int_membership_states') }}
    where status = 'AKTIF'
    {% if is_incremental() %}
        and (
            month not in (select distinct month from {{ this }})
            or person_id in ({{ touched_people() }})
        )
    {% endif %}

)

select
    month,
    point_end,
    is_as_of,
    person_id,
    no_kpj,
    regency_code,
    sector,
    sumber_iuran,
from active
qualify row_number() over (
    partition by month, person_id
    order by membership_date desc, no_kpj desc
) = 1
