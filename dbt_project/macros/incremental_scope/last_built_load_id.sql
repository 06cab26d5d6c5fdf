{#-
  What a refresh must recompute, given the loads since the last good build (the macros in this folder). The
  orchestrator records each good build in audit.builds with the last load_id of audit.deliveries at the time
  (orchestration/build_state.py); the loads after the latest of those are new. It is read here, not passed as
  a dbt var, because a var that changes on every run would cost dbt a full re-parse of the project every run.
-#}
{% macro last_built_load_id() -%}
    (select coalesce(max(load_watermark), 0) from {{ source('audit', 'builds') }})
{%- endmacro %}
