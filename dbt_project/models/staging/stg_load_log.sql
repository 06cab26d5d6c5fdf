select
    load_id,
    file_name,
    source,
    extract_date,
    sha256,
    status,
    rows_read,
    rows_loaded,
    rows_refused,
    message,
    loaded_at,
from {{ source('audit', 'load_log') }}
