{#-
  After an incremental build of a per-person history table has written the touched people's rows again:
  forget their rows written by earlier builds (told apart by stamp, not by time, so a clock set back keeps
  none). The scope is read again from the table (touched_people), so this runs as the model's post-hook,
  in the model's transaction, before anything else changes it.
-#}
{% macro forget_superseded_people(history) -%}
    delete from {{ history }}
    where built_at <> {{ build_stamp() }}
        and person_id in ({{ touched_people(history) }})
{%- endmacro %}
