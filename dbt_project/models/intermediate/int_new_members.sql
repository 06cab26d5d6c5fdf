-- People whose earliest TGL_KEPESERTAAN falls in a coverage month, in the regency and sector of that
-- membership at the end of the month (or, if no version of it was known by then, its first version).
with current_memberships as (

    select * from {{ ref('int_membership_states') }}
    where is_as_of

),

first_memberships as (

    select person_id, no_kpj, membership_date
    from current_memberships
    qualify row_number() over (partition by person_id order by membership_date, no_kpj desc) = 1

),

points as (

    select * from {{ ref('int_coverage_points') }}

),

states as (

    select * from {{ ref('int_membership_states') }}

),

first_versions as (

    select * from {{ ref('int_membership_versions') }}
    where version_number = 1

)

select
    points.month,
    first_memberships.person_id,
    coalesce(states.regency_code, first_versions.regency_code) as regency_code,
    coalesce(states.sector, first_versions.sector) as sector,
from first_memberships
inner join points
    on cast(date_trunc('month', first_memberships.membership_date) as date) = points.month
left join states
    on states.no_kpj = first_memberships.no_kpj
    and states.month = points.month
left join first_versions
    on first_versions.no_kpj = first_memberships.no_kpj
