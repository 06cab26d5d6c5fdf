{# max(0, ceil(target × eligible) − covered), the decimal product computed exactly. #}
{% macro workers_to_target(target_rate, eligible, covered) -%}
    case when {{ target_rate }} is not null and {{ eligible }} is not null then
        cast(greatest(0, ceil({{ target_rate }} * {{ eligible }}) - {{ covered }}) as bigint)
    end
{%- endmacro %}
