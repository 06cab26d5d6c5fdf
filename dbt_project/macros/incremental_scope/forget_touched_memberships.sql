{#-
  Before an incremental build of a per-membership history table: forget the rows of touched memberships,
  which the build then writes again from all their versions (a late version can change any of them). Not
  replaced by key: a membership a revision withdrew whole has no versions left to replace its old rows.
-#}
{% macro forget_touched_memberships(history) -%}
    delete from {{ history }} where no_kpj in ({{ touched_memberships() }})
{%- endmacro %}
