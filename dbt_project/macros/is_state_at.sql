{#- A version is a membership's state at a coverage point when it began before the point's end and its
    successor did not (marts.md: the state at T is the version with the latest TGL_UPDATE ≤ T). -#}
{% macro is_state_at(version, point) -%}
    {{ version }}.valid_from < {{ point }}.point_end
    and ({{ version }}.valid_to is null or {{ version }}.valid_to >= {{ point }}.point_end)
{%- endmacro %}
