-- extracts.md: a later `angkatan_kerja` file for a year replaces the earlier one wholly;
-- within a file, the last row for a (regency, sector) stands.
with counts as (

    select * from {{ ref('stg_angkatan_kerja') }}

),

latest_file_per_year as (

    select year, max(load_id) as load_id
    from counts
    group by year

)

select
    counts.year,
    counts.regency_code,
    counts.sector,
    counts.eligible_workers,
from counts
inner join latest_file_per_year
    using (year, load_id)
qualify row_number() over (
    partition by counts.year, counts.regency_code, counts.sector
    order by counts.row_number desc
) = 1
