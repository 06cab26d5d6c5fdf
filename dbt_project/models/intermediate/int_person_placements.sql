-- sectors.md, "A person's place": at each coverage point, a person with at least one AKTIF membership
-- is covered once, in the regency and sector of the AKTIF membership with the latest TGL_KEPESERTAAN
-- (ties: the larger NO_KPJ).
-- Incremental, as int_membership_states: everyone at new or moved points, the people new loads touched
-- at the points kept.
-- The incremental branch reads these too (macros/incremental_scope/):
-- depends_on: {{ source('raw', 'kepesertaan') }}, {{ source('raw', 'kepesertaan_withdrawn') }},
-- {{ source('audit', 'builds') }}, {{ ref('int_membership_versions') }}, {{ ref('int_coverage_points') }}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{% if is_incremental() %}{{ forget_stale_points(this, 'person_id', touched_people()) }}{% endif %}",
) }}

{% if is_incremental() %}
with kept_months as (

    select distinct month from {{ this }}

),

states as (

    select * from {{ ref('int_membership_states') }}
    -- Narrowed before the join: new or moved points, and memberships that ever were a touched person's.
    where month not in (select month from kept_months)
        or no_kpj in (
            select no_kpj from {{ ref('int_membership_versions') }}
            where person_id in ({{ touched_people() }})
        )

),
{% else %}
with states as (

    select * from {{ ref('int_membership_states') }}

),
{% endif %}

versions as (

    select * from {{ ref('int_membership_versions') }}

),

active as (

    select
        states.month,
        states.point_end,
        versions.person_id,
        versions.no_kpj,
        versions.membership_date,
        versions.regency_code,
        versions.sector,
        versions.sumber_iuran,
    from states
    inner join versions
        on versions.no_kpj = states.no_kpj
        and versions.version_number = states.version_number
    where versions.status = 'AKTIF'
    {% if is_incremental() %}
        and (
            states.month not in (select month from kept_months)
            or versions.person_id in ({{ touched_people() }})
        )
    {% endif %}

),

-- One row per person and point: the membership with the latest TGL_KEPESERTAAN (ties: the larger NO_KPJ),
-- taken by arg_max in a hash aggregation rather than a window's sort, so that a person with many
-- memberships costs one hash group, not a sorted partition.
placed as (

    select
        month,
        point_end,
        person_id,
        arg_max(
            { 'no_kpj': no_kpj, 'regency_code': regency_code, 'sector': sector, 'sumber_iuran': sumber_iuran },
            (membership_date, no_kpj)
        ) as membership,
    from active
    group by month, point_end, person_id

)

select
    placed.month,
    placed.point_end,
    placed.person_id,
    struct_extract(placed.membership, 'no_kpj') as no_kpj,
    struct_extract(placed.membership, 'regency_code') as regency_code,
    struct_extract(placed.membership, 'sector') as sector,
    struct_extract(placed.membership, 'sumber_iuran') as sumber_iuran,
    {{ current_load_id() }} as written_at_load,
from placed
