{#-
  Before an incremental build of a table of coverage points: forget the rows of what was touched, and of
  every point that is gone or has moved (as_of moved within its month, or on from a day that was not
  its month's last).
-#}
{% macro forget_stale_points(relation, key_column, touched_sql) -%}
    delete from {{ relation }}
    where {{ key_column }} in ({{ touched_sql }});

    delete from {{ relation }}
    where month in (
        select distinct kept.month
        from {{ relation }} as kept
        anti join {{ ref('int_coverage_points') }} as points
            on points.month = kept.month
            and points.point_end = kept.point_end
    )
{%- endmacro %}
