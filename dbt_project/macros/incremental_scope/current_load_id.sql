{#-
  The last delivery's load_id: what this build is made from. History tables stamp their rows with it
  (written_at_load), so that their tests can check the rows a build wrote without rescanning history.
-#}
{% macro current_load_id() -%}
    (select coalesce(max(load_id), 0) from {{ source('audit', 'deliveries') }})
{%- endmacro %}
