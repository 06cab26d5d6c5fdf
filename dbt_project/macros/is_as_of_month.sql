{#- A table of coverage points' rows at as_of's point: which month that is, int_coverage_points says. -#}
{% macro is_as_of_month(month_column='month') -%}
    {{ month_column }} = (select month from {{ ref('int_coverage_points') }} where is_as_of)
{%- endmacro %}
