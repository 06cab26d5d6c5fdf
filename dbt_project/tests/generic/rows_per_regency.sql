-- A mart with a row for every regency of the served province (× `per_regency`, + `plus` rows for the province):
-- 121 regency × sector cells in Maluku, 418 in Jawa Timur.
{% test rows_per_regency(model, per_regency=1, plus=0) %}
select count(*) as actual_rows
from {{ model }}
having count(*) <> {{ per_regency }} * (select count(*) from {{ ref('stg_regencies') }}) + {{ plus }}
{% endtest %}
