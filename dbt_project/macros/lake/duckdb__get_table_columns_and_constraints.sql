{#- A contracted model's table on a DuckLake: its columns, types and NOT NULL only. DuckLake refuses primary key,
    unique and check constraints; the generic test lake_constraints checks them there instead. On a DuckDB file,
    dbt's own DDL with every constraint. -#}
{% macro duckdb__get_table_columns_and_constraints() %}
    {%- if target.name != 'lake' -%}
        {{ return(table_columns_and_constraints()) }}
    {%- endif -%}
    (
    {% for column in model['columns'].values() -%}
        {{ adapter.quote(column['name']) if column.get('quote') else column['name'] }} {{ column['data_type'] }}
        {%- for constraint in column.get('constraints', []) if constraint['type'] == 'not_null' %} not null{% endfor %}
        {{- "," if not loop.last }}
    {% endfor -%}
    )
{% endmacro %}
