{#-
  The people whose rows in a per-person history table (spells, first memberships) new loads may change: every
  person a version of a touched card names, loaded or withdrawn. Every row of those tables names a card through
  the holder of its latest state, and that holder is the person of one of the card's versions: so the people a
  touched card placed before (it may have moved to another person, or been withdrawn whole) and its holder now
  are all among them. A few more people than that are written again, unchanged. Read from the raw tables only,
  once per build (int_touched_people), not from each history table before and after it changes.
-#}
{% macro touched_people() -%}
    select person_id
    from {{ source('raw', 'kepesertaan') }}
    where no_kpj in ({{ touched_memberships() }})
    union
    select person_id
    from {{ source('raw', 'kepesertaan_withdrawn') }}
    where load_id > {{ last_built_load_id() }}
{%- endmacro %}
