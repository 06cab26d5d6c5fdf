-- One row per loaded version of a membership, with what version order and the marts need. The card number
-- becomes an integer (11 digits always fit): history joins and groups by it, and lpad(no_kpj, 11, '0') gives
-- its text back.
select
    cast(no_kpj as bigint) as no_kpj,
    person_id,
    regency_code,
    segmen,
    occupation,
    sumber_iuran,
    membership_date,
    status,
    updated_at,
    extract_date,
    file_name,
    row_number,
    load_id,
from {{ source('raw', 'kepesertaan') }}
