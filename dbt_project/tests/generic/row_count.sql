{% test row_count(model, expected) %}
select count(*) as actual_rows
from {{ model }}
having count(*) <> {{ expected }}
{% endtest %}
