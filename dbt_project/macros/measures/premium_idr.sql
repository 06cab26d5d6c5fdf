{# What protecting this many informal (BPU) workers for a year costs: workers × the annual premium (var). #}
{% macro premium_idr(workers) -%}
    cast({{ workers }} * {{ var('annual_premium_idr') }} as decimal(18, 2))
{%- endmacro %}
