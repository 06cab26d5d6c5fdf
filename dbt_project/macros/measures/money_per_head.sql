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
