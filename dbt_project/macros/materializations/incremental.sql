{#-
  The incremental materialisation for DuckDB, as this project's history tables need it. dbt-duckdb's own writes
  each incremental build's rows twice: into a temporary table, then from it into the model's table; at a
  national-size delta that is millions of rows written, spilled and read again for nothing. The history models
  here only ever append (their hooks forget the rows they replace: macros/incremental_scope/), so the rows go
  straight in, `insert into ... by name`. A first build, or --full-refresh, builds the table whole beside the old
  one and swaps it in, as dbt-duckdb does. Defined in the project, it takes the place of the adapter's for every
  incremental model; any strategy but `append` is refused, naming the model.
-#}
{% materialization incremental, adapter='duckdb' %}
    {%- set strategy = config.get('incremental_strategy') or 'append' -%}
    {%- if strategy != 'append' -%}
        {{ exceptions.raise_compiler_error(
            model.name ~ ": incremental_strategy '" ~ strategy ~ "' is not supported here (only 'append': "
            ~ "macros/materializations/incremental.sql)"
        ) }}
    {%- endif -%}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set full_build = existing_relation is none or existing_relation.is_view or should_full_refresh() -%}
    {%- set intermediate_relation = make_intermediate_relation(target_relation) -%}
    {%- set backup_relation = make_backup_relation(target_relation, 'table') -%}
    {{ drop_relation_if_exists(load_cached_relation(intermediate_relation)) }}
    {{ drop_relation_if_exists(load_cached_relation(backup_relation)) }}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    -- `BEGIN` happens here:
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {% if full_build %}
        {% call statement('main') -%}
            {{ create_table_as(False, intermediate_relation, compiled_code) }}
        {%- endcall %}
        {% if existing_relation is not none %}
            {% do adapter.rename_relation(existing_relation, backup_relation) %}
        {% endif %}
        {% do adapter.rename_relation(intermediate_relation, target_relation) %}
    {% else %}
        {% call statement('main') -%}
            insert into {{ target_relation }} by name (
                {{ compiled_code }}
            )
        {%- endcall %}
    {% endif %}

    {% do persist_docs(target_relation, model) %}
    {{ run_hooks(post_hooks, inside_transaction=True) }}
    -- `COMMIT` happens here:
    {% do adapter.commit() %}

    {% if full_build and existing_relation is not none %}
        {% do adapter.drop_relation(backup_relation) %}
    {% endif %}
    {{ run_hooks(post_hooks, inside_transaction=False) }}

    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
