-- What a model's contract promises and a DuckLake does not enforce (dbt_project/macros/lake): one row per breach
-- of each primary key or unique constraint (a key twice, or a key column null) and each check constraint. Run on
-- the lake target only (orchestration/dbt_build.py excludes tag lake_constraints elsewhere: a DuckDB file
-- enforces them as it writes).
{% test lake_constraints(model) %}
{%- set keys, checks = [], [] -%}
{%- set nodes = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
    | selectattr('name', 'equalto', model.identifier) | list if execute else [] -%}
{#- Parsing renders the test without the graph: nothing to check then. -#}
{%- set node = nodes[0] if nodes else {'columns': {}, 'constraints': []} -%}
{%- for column in node.columns.values() -%}
    {%- for constraint in column.constraints if constraint.type in ('primary_key', 'unique') -%}
        {%- do keys.append([column.name]) -%}
    {%- endfor -%}
{%- endfor -%}
{%- for constraint in node.constraints -%}
    {%- if constraint.type in ('primary_key', 'unique') -%}
        {%- do keys.append(constraint.columns) -%}
    {%- elif constraint.type == 'check' -%}
        {%- do checks.append(constraint.expression) -%}
    {%- endif -%}
{%- endfor -%}
select 'none' as breach where false
{%- for key in keys %}
union all
select 'key ({{ key | join(", ") }}) twice' as breach
from {{ model }}
group by {{ key | join(", ") }}
having count(*) > 1
union all
select 'key ({{ key | join(", ") }}) null' as breach
from {{ model }}
where {{ key | join(" is null or ") }} is null
{%- endfor %}
{%- for check in checks %}
union all
select 'check failed: {{ check | replace("'", "''") }}' as breach
from {{ model }}
where not ({{ check }})
{%- endfor %}
{% endtest %}
