{# realisasi / workers rounded half-up to 2 decimals, in exact integer arithmetic (no floating point). #}
{% macro money_per_head(amount, heads) -%}
    case when {{ heads }} > 0 then
        cast(
            (
                (cast({{ amount }} * 100 as hugeint) // {{ heads }})
                + case when 2 * (cast({{ amount }} * 100 as hugeint) % {{ heads }}) >= {{ heads }} then 1 else 0 end
            ) * 0.01::decimal(3, 2)
        as decimal(18, 2))
    end
{%- endmacro %}

{# max(0, ceil(target × eligible) − covered), the decimal product computed exactly. #}
{% macro workers_to_target(target_rate, eligible, covered) -%}
    case when {{ target_rate }} is not null and {{ eligible }} is not null then
        cast(greatest(0, ceil({{ target_rate }} * {{ eligible }}) - {{ covered }}) as bigint)
    end
{%- endmacro %}

{% macro premium_idr(workers) -%}
    cast({{ workers }} * {{ var('annual_premium_idr') }} as decimal(18, 2))
{%- endmacro %}

{% macro rate(numerator, denominator) -%}
    case when {{ denominator }} > 0 then cast({{ numerator }} as double) / {{ denominator }} end
{%- endmacro %}

{# The measures every coverage mart shares, from its (summed) eligible and covered workers. #}
{% macro coverage_measures(eligible, covered, target_rate) -%}
    {{ rate(covered, eligible) }} as coverage_rate,
    cast({{ target_rate }} as double) as target_rate,
    {{ workers_to_target(target_rate, eligible, covered) }} as workers_to_target,
    {{ premium_idr(workers_to_target(target_rate, eligible, covered)) }} as premium_to_target_idr,
{%- endmacro %}
