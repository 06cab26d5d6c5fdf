-- Eligible-worker counts as loaded, one row per file row.
select
    year,
    regency_code,
    sector,
    eligible_workers,
    extract_date,
    file_name,
    row_number,
    load_id,
from {{ source('raw', 'angkatan_kerja') }}
