{# sectors.md: upper case, every punctuation character (Unicode too) a space, runs of spaces one, trimmed. #}
{% macro normalise_occupation(column) -%}
    nullif(trim(regexp_replace(regexp_replace(upper({{ column }}), '[\pP\pS]', ' ', 'g'), '\s+', ' ', 'g')), '')
{%- endmacro %}
