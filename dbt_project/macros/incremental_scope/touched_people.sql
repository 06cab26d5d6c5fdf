{#-
  The people whose rows in a per-person history table (`history`: spells, first memberships) new loads may
  change: those a touched card held a row of (the card may have moved to another person, or been withdrawn
  whole), and the holders of touched cards now. A card that never placed a person, and is not theirs now,
  changes nothing of theirs. Read while the history still holds its old rows: the model's insert, and
  forget_superseded_people after it.
-#}
{% macro touched_people(history) -%}
    select person_id from {{ history }}
    where no_kpj in ({{ touched_memberships() }})
    union
    select person_id from {{ ref('int_membership_versions') }}
    where no_kpj in ({{ touched_memberships() }})
{%- endmacro %}
