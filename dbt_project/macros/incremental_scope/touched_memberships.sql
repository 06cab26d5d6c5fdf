{#-
  Memberships (cards, as integers) that new loads brought a version of, or whose versions a revision withdrew
  (a corrected file re-sent under its name replaces the earlier delivery, and a late correction can change any
  month). Read from the raw tables by load_id, which grows with every load: DuckDB skips the row groups of
  older loads by their min/max.
-#}
{% macro touched_memberships() -%}
    select no_kpj
    from {{ source('raw', 'kepesertaan') }}
    where load_id > {{ last_built_load_id() }}
    union
    select no_kpj
    from {{ source('raw', 'kepesertaan_withdrawn') }}
    where load_id > {{ last_built_load_id() }}
{%- endmacro %}
