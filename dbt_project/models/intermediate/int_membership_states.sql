-- The state of every membership at every coverage point: its version with the latest TGL_UPDATE
-- before the point's end (tied versions resolved by version order).
-- Only a pointer to that version: a new point writes a row per membership, and what the version says
-- (regency, sector, status, ...) is read from int_membership_versions, written once per version.
-- Whether a point is as_of's is read from int_coverage_points too, so that a point that stops being
-- as_of's without moving (as_of was the last day of its month) keeps its rows.
-- Incremental: history is not rebuilt. A refresh computes every membership at the points that are new or
-- moved, and the memberships new loads touched at the points kept (a late version can change the past).
-- The incremental branch reads these too (macros/incremental_scope/):
-- depends_on: {{ source('raw', 'kepesertaan') }}, {{ source('raw', 'kepesertaan_withdrawn') }},
-- {{ source('audit', 'builds') }}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{% if is_incremental() %}{{ forget_stale_points(this, 'no_kpj', touched_memberships()) }}{% endif %}",
) }}

with points as (

    select * from {{ ref('int_coverage_points') }}

),

versions as (

    select * from {{ ref('int_membership_versions') }}

),

{% if is_incremental() %}
kept_months as (

    select distinct month from {{ this }}

),

-- Materialised so that the range join below sees the few rows each side keeps, not all of history.
new_points as materialized (

    select * from points
    where month not in (select month from kept_months)

),

kept_points as materialized (

    select * from points
    where month in (select month from kept_months)

),

touched_versions as materialized (

    select * from versions
    where no_kpj in ({{ touched_memberships() }})

),

pairs as (

    select new_points.*, versions.*
    from new_points
    inner join versions
        on {{ is_state_at('versions', 'new_points') }}

    union all

    select kept_points.*, touched_versions.*
    from kept_points
    inner join touched_versions
        on {{ is_state_at('touched_versions', 'kept_points') }}

),
{% else %}
pairs as (

    select points.*, versions.*
    from points
    inner join versions
        on {{ is_state_at('versions', 'points') }}

),
{% endif %}

states as (

    select
        month,
        point_end,
        no_kpj,
        version_number,
        {{ current_load_id() }} as written_at_load,
    from pairs

)

select * from states
