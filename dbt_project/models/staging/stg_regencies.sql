-- The regencies and cities of the province this warehouse serves (var province_code, from CAKUPAN_PROVINCE), from
-- the national reference list: every regency a mart lists, whether or not any file names it.
select
    regency_code,
    regency_name,
    lower(regency_type) as regency_type,
from {{ ref('indonesia_regencies') }}
where province_code = '{{ var("province_code") }}'
