{#-
  People holding, or having held, a membership that new loads touched (a NIK corrected on a card moves it),
  and the holders of withdrawn versions, whom no version may name any more.
-#}
{% macro touched_people() -%}
    select person_id
    from {{ ref('int_membership_versions') }}
    where no_kpj in ({{ touched_memberships() }})
    union
    select person_id
    from {{ source('raw', 'kepesertaan_withdrawn') }}
    where load_id > {{ last_built_load_id() }}
{%- endmacro %}
