{#- A history row (a membership's state, a person's spell) holds at a moment when it began before the moment's
    end and did not end before it (marts.md: the state at T is the version with the latest TGL_UPDATE ≤ T).
    `moment_end` is exclusive: a point's end, e.g. the next day's midnight for "the end of as_of". -#}
{% macro is_valid_at(row, moment_end) -%}
    {{ row }}.valid_from < {{ moment_end }}
    and ({{ row }}.valid_to is null or {{ row }}.valid_to >= {{ moment_end }})
{%- endmacro %}
