{#-
  No two rows of a history table share these columns, checked for the keys the latest build wrote (rows stamped
  with the newest built_at: macros/incremental_scope/build_stamp.sql). Rows kept from earlier builds were unique
  when they were written (checked here, or written whole by a full build, whose one query makes them unique), so
  a duplicate now involves a row just written: one among them, or one of them against a kept row. An
  incremental build checks what it wrote against history by a join whose build side is its own rows. A full
  build leaves this test out (orchestration/dbt_build.py, build_args): it would group all of history to check
  what holds by construction.
  Plain uniqueness: dbt_utils.unique_combination_of_columns.
-#}
{% test unique_keys_written(model, combination_of_columns) %}
{%- set key = combination_of_columns | join(', ') %}
with latest as (

    select max(built_at) as built_at from {{ model }}

),

written as (

    select {{ key }} from {{ model }}
    where built_at = (select built_at from latest)

),

kept as (

    select {{ key }} from {{ model }}
    where built_at < (select built_at from latest)

)

select {{ key }}, count(*) as rows_with_this_key
from written
group by {{ key }}
having count(*) > 1

union all

select {{ key }}, 2 as rows_with_this_key
from kept
semi join written using ({{ key }})
{% endtest %}
