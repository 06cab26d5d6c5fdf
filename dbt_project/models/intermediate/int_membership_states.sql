-- The state of every membership at every coverage point: its version with the latest TGL_UPDATE
-- before the point's end (tied versions resolved by version order).
with points as (

    select * from {{ ref('int_coverage_points') }}

),

versions as (

    select * from {{ ref('int_membership_versions') }}

)

select
    points.month,
    points.point_end,
    points.is_as_of,
    versions.no_kpj,
    versions.person_id,
    versions.regency_code,
    versions.sector,
    versions.placement_rule,
    versions.segmen,
    versions.sumber_iuran,
    versions.occupation_normalised,
    versions.status,
    versions.membership_date,
from points
inner join versions
    on versions.valid_from < points.point_end
    and (versions.valid_to is null or versions.valid_to >= points.point_end)
