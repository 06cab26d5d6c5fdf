{# numerator / denominator as a double; null when the denominator is null or not positive. #}
{% macro rate(numerator, denominator) -%}
    case when {{ denominator }} > 0 then cast({{ numerator }} as double) / {{ denominator }} end
{%- endmacro %}
