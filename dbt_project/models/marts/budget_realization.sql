-- Each budget line (year × owner × OPD × sector) from its latest report.
with lines as (

    select * from {{ ref('int_budget_lines') }}

),

regencies as (

    select regency_code, regency_name from {{ ref('stg_regencies') }}

)

select
    lines.fiscal_year,
    lines.owner_code,
    case
        when lines.owner_code = '{{ var("province_code") }}' then '{{ var("province_owner_name") }}'
        else regencies.regency_name
    end as owner_name,
    lines.opd_name,
    lines.sector,
    lines.targeted_workers,
    cast(lines.pagu_idr as decimal(18, 2)) as pagu_idr,
    cast(lines.realisasi_idr as decimal(18, 2)) as realisasi_idr,
    {{ rate('lines.realisasi_idr', 'lines.pagu_idr') }} as realization_rate,
    lines.report_date,
from lines
left join regencies
    on regencies.regency_code = lines.owner_code
