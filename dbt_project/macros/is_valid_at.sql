{#- A history row (a membership's state, a person's spell) holds at a moment when it began before the moment's
    end and did not end before it (marts.md: the state at T is the version with the latest TGL_UPDATE ≤ T).
    `moment_end` is exclusive: a point's end, e.g. the next day's midnight for "the end of as_of".
    An open row ends at infinity rather than `valid_to is null or ...`: with an OR in a left join's condition,
    DuckDB cannot hash-join on the other keys and loops over every pair of rows instead. -#}
{% macro is_valid_at(row, moment_end) -%}
    {{ row }}.valid_from < {{ moment_end }}
    and coalesce({{ row }}.valid_to, 'infinity'::timestamp) >= {{ moment_end }}
{%- endmacro %}
