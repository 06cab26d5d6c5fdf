{#-
  After an incremental build of a per-person history table has written the touched people's rows again:
  forget their rows written by earlier builds (told apart by stamp, not by time, so a clock set back keeps
  none). A post-hook, in the model's transaction, before anything else changes the table.
-#}
{% macro forget_superseded_people(history) -%}
    delete from {{ history }}
    where built_at <> {{ build_stamp() }}
        and person_id in (select person_id from {{ ref('int_touched_people') }})
{%- endmacro %}
