{#-
  What a refresh must recompute, given the loads since the last good build. The orchestrator records each
  good build in audit.builds with the load log's last load_id at the time (orchestration/build_state.py);
  the loads after the latest of those are new. It is read here, not passed as a dbt var, because a var
  that changes on every run would cost dbt a full re-parse of the project every run.
-#}

{% macro last_built_load_id() -%}
    (select coalesce(max(load_watermark), 0) from audit.builds)
{%- endmacro %}

{#- Memberships that new loads brought a version of. -#}
{% macro touched_memberships() -%}
    select distinct no_kpj
    from {{ source('raw', 'kepesertaan') }}
    where load_id > {{ last_built_load_id() }}
{%- endmacro %}

{#- People holding, or having held, a membership that new loads touched (a NIK corrected on a card moves it). -#}
{% macro touched_people() -%}
    select distinct person_id
    from {{ ref('int_membership_versions') }}
    where no_kpj in ({{ touched_memberships() }})
{%- endmacro %}

{#-
  Before an incremental build of a table of coverage points: forget the rows of what was touched, and of
  every point that is gone or has moved (as_of moved within its month, or on from a day that was not
  its month's last).
-#}
{% macro forget_stale_points(relation, key_column, touched_sql) -%}
    delete from {{ relation }}
    where {{ key_column }} in ({{ touched_sql }});

    delete from {{ relation }}
    where month in (
        select distinct kept.month
        from {{ relation }} as kept
        anti join {{ ref('int_coverage_points') }} as points
            on points.month = kept.month
            and points.point_end = kept.point_end
    )
{%- endmacro %}

{#-
  The load log's last load_id: what this build is made from. History tables stamp their rows with it
  (written_at_load), so that their tests can check the rows a build wrote without rescanning history.
-#}
{% macro current_load_id() -%}
    (select coalesce(max(load_id), 0) from {{ source('audit', 'load_log') }})
{%- endmacro %}
