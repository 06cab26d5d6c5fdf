-- One row per loaded version of a membership, with what version order and the marts need. The card number is
-- an integer from the ingest on (11 digits always fit): lpad(no_kpj, 11, '0') gives its text back.
select
    no_kpj,
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
