-- One row per loaded version of a membership, in version order.
with versions as (

    select * from {{ source('raw', 'kepesertaan') }}

),

ordered as (

    select
        no_kpj,
        person_id,
        birth_year,
        sex,
        regency_code,
        district,
        segmen,
        occupation,
        {{ normalise_occupation('occupation') }} as occupation_normalised,
        sumber_iuran,
        programs,
        wage_idr,
        membership_date,
        last_paid_month,
        status,
        updated_at,
        extract_date,
        file_name,
        row_number,
        load_id,
        -- extracts.md: latest TGL_UPDATE; ties by the file's date, then the later row.
        -- The file name breaks ties between two files of the same date, so the order never depends on load order.
        row_number() over (
            partition by no_kpj
            order by updated_at, extract_date, file_name, row_number
        ) as version_number,
    from versions

)

select * from ordered
