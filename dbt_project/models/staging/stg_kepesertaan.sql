-- One row per loaded version of a membership, with what version order and the marts need. The card number is
-- an integer from the ingest on (11 digits always fit): lpad(no_kpj, 11, '0') gives its text back. The codes are
-- ENUMs in raw (a compact store for the ingest to write); from here on they are text, as the marts show them.
select
    no_kpj,
    person_id,
    regency_code,
    cast(segmen as varchar) as segmen,
    occupation,
    cast(sumber_iuran as varchar) as sumber_iuran,
    membership_date,
    cast(status as varchar) as status,
    updated_at,
    extract_date,
    file_name,
    row_number,
    load_id,
from {{ source('raw', 'kepesertaan') }}
