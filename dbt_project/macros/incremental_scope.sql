{#-
  What a refresh must recompute, given the loads since the last good build. The orchestrator records each
  good build in audit.builds with the last load_id of audit.deliveries at the time
  (orchestration/build_state.py); the loads after the latest of those are new. It is read here, not passed as a dbt var, because a var
  that changes on every run would cost dbt a full re-parse of the project every run.
-#}

{% macro last_built_load_id() -%}
    (select coalesce(max(load_watermark), 0) from audit.builds)
{%- endmacro %}

{#-
  Memberships that new loads brought a version of, or whose versions a revision withdrew (a corrected file
  re-sent under its name replaces the earlier delivery, and a late correction can change any month).
-#}
{% macro touched_memberships() -%}
    select no_kpj
    from {{ source('raw', 'kepesertaan') }}
    where load_id > {{ last_built_load_id() }}
    union
    select no_kpj
    from {{ source('raw', 'kepesertaan_withdrawn') }}
    where load_id > {{ last_built_load_id() }}
{%- endmacro %}

{#-
  People holding, or having held, a membership that new loads touched (a NIK corrected on a card moves it),
  and the holders of withdrawn versions, whom no version may name any more.
-#}
{% macro touched_people() -%}
    select person_id
    from {{ ref('int_membership_versions') }}
    where no_kpj in ({{ touched_memberships() }})
    union
    select person_id
    from {{ source('raw', 'kepesertaan_withdrawn') }}
    where load_id > {{ last_built_load_id() }}
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
  The last delivery's load_id: what this build is made from. History tables stamp their rows with it
  (written_at_load), so that their tests can check the rows a build wrote without rescanning history.
-#}
{% macro current_load_id() -%}
    (select coalesce(max(load_id), 0) from {{ source('audit', 'deliveries') }})
{%- endmacro %}
