{# The measures every coverage mart shares, from its (summed) eligible and covered workers. #}
{% macro coverage_measures(eligible, covered, target_rate) -%}
    {{ rate(covered, eligible) }} as coverage_rate,
    cast({{ target_rate }} as double) as target_rate,
    {{ workers_to_target(target_rate, eligible, covered) }} as workers_to_target,
    {{ premium_idr(workers_to_target(target_rate, eligible, covered)) }} as premium_to_target_idr,
{%- endmacro %}
