{#-
  When this dbt invocation started (UTC), stamped on every history row it writes (`built_at`): a per-person
  history table forgets the rows of touched people that other builds wrote (forget_superseded_people), and
  the uniqueness tests check the keys of the latest build's rows (tests/generic/unique_keys_written.sql).
-#}
{% macro build_stamp() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro %}
