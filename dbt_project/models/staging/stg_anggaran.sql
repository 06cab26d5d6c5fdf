-- Budget lines, each with the key a later report supersedes it by.
with lines as (

    select * from {{ source('raw', 'anggaran') }}

),

keyed as (

    select
        fiscal_year,
        owner_code,
        opd_name,
        lower(opd_name) as opd_key,
        sector,
        targeted_workers,
        pagu_idr,
        realisasi_idr,
        extract_date,
        file_name,
        row_number,
    from lines

)

select * from keyed
