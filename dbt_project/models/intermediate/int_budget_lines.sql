-- extracts.md: a later `anggaran` report for the same (year, owner, OPD, sector) supersedes an earlier one
-- (report date from the file name; the file name, then the row, break ties). The OPD keeps the
-- spelling it was first seen with.
with lines as (

    select * from {{ ref('stg_anggaran') }}

),

opd_spellings as (

    select
        opd_key,
        first(opd_name order by extract_date, file_name, row_number) as opd_name,
    from lines
    group by opd_key

),

latest as (

    select * from lines
    qualify row_number() over (
        partition by fiscal_year, owner_code, opd_key, sector
        order by extract_date desc, file_name desc, row_number desc
    ) = 1

)

select
    latest.fiscal_year,
    latest.owner_code,
    opd_spellings.opd_name,
    latest.opd_key,
    latest.sector,
    latest.targeted_workers,
    latest.pagu_idr,
    latest.realisasi_idr,
    latest.extract_date as report_date,
from latest
inner join opd_spellings using (opd_key)
