{# The column summed over this model equals the column summed over another: breakdowns reconcile. #}
{% test sums_to(model, column_name, to, to_column) %}
with this_side as (
    select coalesce(sum({{ column_name }}), 0) as total from {{ model }}
),
other_side as (
    select coalesce(sum({{ to_column }}), 0) as total from {{ to }}
)
select this_side.total as this_total, other_side.total as other_total
from this_side cross join other_side
where this_side.total <> other_side.total
{% endtest %}
