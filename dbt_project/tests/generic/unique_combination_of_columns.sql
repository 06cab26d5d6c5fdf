{#-
  No two rows share these columns (dbt_utils is out of reach offline).
  since_last_build: rows kept from earlier builds passed this test when they were written, so a duplicate
  now involves a row written since: by the newest build (the largest written_at_load) or after the last
  good build (a failed one's). Only those rows' keys are checked, so an incremental build checks what it
  wrote, not all of history; a full build stamps every row alike and checks them all.
-#}
{% test unique_combination_of_columns(model, combination_of_columns, since_last_build=false) %}
{%- set key = combination_of_columns | join(', ') %}
{% if since_last_build %}
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
{% else %}
select {{ key }}, count(*) as rows_with_this_key
from {{ model }}
group by {{ key }}
having count(*) > 1
{% endif %}
{% endtest %}
