{#-
  Memberships that new loads brought a version of, or whose versions a revision withdrew (a corrected file
  re-sent under its name replaces the earlier delivery, and a late correction can change any month).
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
