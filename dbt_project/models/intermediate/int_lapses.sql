-- Memberships that went from AKTIF to NONAKTIF, by a version dated in a coverage month
-- (up to the end of as_of), in that version's regency and sector.
with points as (

    select * from {{ ref('int_coverage_points') }}

),

lapsing_versions as (

    select * from {{ ref('int_membership_versions') }}
    where
        status = 'NONAKTIF'
        and previous_status = 'AKTIF'

)

select
    points.month,
    lapsing_versions.no_kpj,
    lapsing_versions.regency_code,
    lapsing_versions.sector,
from points
inner join lapsing_versions
    on lapsing_versions.updated_at >= points.month_start
    and lapsing_versions.updated_at < points.point_end
