{#-
  No two rows share these columns, checked for the keys written since the last good build. Rows kept from
  earlier builds passed this test when they were written, so a duplicate now involves a row written since:
  by the newest build (the largest written_at_load) or after the last good build (a failed one's). Only
  those rows' keys are checked, against every row, so an incremental build checks what it wrote, not all of
  history; a full build stamps every row alike and checks them all. The model needs a written_at_load column
  (macros/incremental_scope/current_load_id.sql). Plain uniqueness: dbt_utils.unique_combination_of_columns.
-#}
{% test unique_keys_since_last_build(model, combination_of_columns) %}
{%- set key = combination_of_columns | join(', ') %}
with written as (

    select distinct {{ key }}
    from {{ model }}
    where written_at_load > {{ last_built_load_id() }}
        or written_at_load = (select max(written_at_load) from {{ model }})

)

select {{ key }}, count(*) as rows_with_this_key
from {{ model }}
semi join written using ({{ key }})
group by {{ key }}
having count(*) > 1
{% endtest %}
